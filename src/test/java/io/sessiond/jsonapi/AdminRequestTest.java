package io.sessiond.jsonapi;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Links: on the base URL given (sessiond.admin.public-url or the request's), with the query as it was sent. */
class AdminRequestTest {

    private static final Set<String> TYPES = Set.of("sessions", "connections", "services");
    private static final Set<String> FIELDS = Set.of("state", "services");

    @Test
    void selfLinksRepeatTheQueryWithBracketsEncoded() {
        AdminRequest request = request("fields[sessions]=state,lease/ttl&filter[state]=Session%20started");
        assertEquals("https://sessiond.example.com/v1/sessions/?fields%5Bsessions%5D=state%2Clease%2Fttl"
                + "&filter%5Bstate%5D=Session%20started", request.self());
    }

    @Test
    void pageLinksKeepTheOtherParametersAndPutPagingLast() {
        AdminRequest request = request("page[number]=1&filter[services]=billing&page[size]=2");
        JsonApiQuery.Page page = request.query().page().orElseThrow();
        assertEquals(new JsonApiQuery.Page(2, 1, OptionalLong.empty()), page);
        assertEquals("https://sessiond.example.com/v1/sessions/?filter%5Bservices%5D=billing"
                + "&page%5Bsize%5D=2&page%5Bsnapshot%5D=42&page%5Bnumber%5D=3", request.page(page, 42, 3));
        assertEquals("https://sessiond.example.com/v1/sessions/?filter%5Bservices%5D=billing"
                + "&page%5Bsize%5D=2&page%5Bnumber%5D=0", request.page(page, 0, 0));
    }

    @Test
    void pathSegmentsAreEncoded() {
        Rendering rendering = new Rendering("https://sessiond.example.com", false, null);
        assertEquals("https://sessiond.example.com/v1/services/a%20b%2Fc/", rendering.link("services", "a b/c"));
    }

    private static AdminRequest request(String rawQuery) {
        JsonApiQuery query = JsonApiQuery.parse(rawQuery, EnumSet.allOf(JsonApiQuery.Family.class), TYPES, FIELDS);
        return new AdminRequest(query, new Rendering("https://sessiond.example.com", false, null), new String[]{"sessions"});
    }
}
