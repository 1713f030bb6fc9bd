package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.sessiond.testsupport.EmbeddedPostgresResource;
import io.sessiond.testsupport.WebSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.AdminApi.IMF_FIXDATE;
import static io.sessiond.testsupport.AdminApi.assertBadParameter;
import static io.sessiond.testsupport.AdminApi.MEDIA_TYPE;
import static io.sessiond.testsupport.AdminApi.error;
import static io.sessiond.testsupport.AdminApi.fieldNames;
import static io.sessiond.testsupport.AdminApi.get;
import static io.sessiond.testsupport.AdminApi.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API's {@code web-sessions} black-box over HTTP: sessions made through the web session API
 * ({@code /v1/web-sessions}) seen, paged, filtered and killed through {@code /v1/admin/web-sessions}, every
 * document checked against our JSON Schema of the JSON:API rules. HTTP only, so that
 * {@link AdminWebSessionsResourceIT} runs the same against the packaged app.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class AdminWebSessionsResourceTest {

    private static final String ADMIN = "/v1/admin/web-sessions/";
    private static final String DATA = "{\"user\":\"alice\",\"token\":\"s3cr3t-token\"}";

    @Test
    void aWebSessionIsSeenWithItsTimesAndSizeButNeverItsData() {
        String id = WebSessions.createId(DATA);

        Response response = given().when().get(ADMIN + id);
        assertFalse(response.asString().contains("s3cr3t-token") || response.asString().contains("alice"),
                "no data in " + response.asString());
        JsonNode document = get(ADMIN + id);
        JsonNode data = document.get("data");
        assertEquals("web-sessions", data.get("type").asText());
        assertEquals(id, data.get("id").asText());
        assertTrue(document.at("/links/self").asText().endsWith(ADMIN + id + "/"), document.at("/links/self").asText());
        assertEquals(document.at("/links/self").asText(), data.at("/links/self").asText());
        JsonNode attributes = data.get("attributes");
        assertEquals(Set.of("created", "accessed", "expires", "idle", "version", "data_size", "encrypted", "locked"),
                fieldNames(attributes), "no last_accessed before a second access, no lock_expires while unlocked");
        for (String date : List.of("created", "accessed", "expires")) {
            assertTrue(attributes.get(date).asText().matches(IMF_FIXDATE), attributes.get(date).asText());
        }
        assertTrue(attributes.get("idle").isNumber() && attributes.get("idle").asDouble() < 30);
        assertEquals(1, attributes.get("version").asLong());
        assertEquals(DATA.getBytes(StandardCharsets.UTF_8).length, attributes.get("data_size").asLong());
        assertFalse(attributes.get("encrypted").asBoolean());
        assertFalse(attributes.get("locked").asBoolean());

        // A save, then a lock, through the web session API: the admin API sees the new version and the lock.
        given().header("If-Match", "\"1\"").contentType(ContentType.JSON).body("{\"data\":{\"user\":\"bob\"}}")
                .when().put("/v1/web-sessions/" + id).then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"ttl\":60}")
                .when().post("/v1/web-sessions/" + id + "/lock").then().statusCode(200);
        JsonNode changed = get(data.at("/links/self").asText()).at("/data/attributes");
        assertEquals(2, changed.get("version").asLong());
        assertEquals("{\"user\":\"bob\"}".length(), changed.get("data_size").asLong());
        assertTrue(changed.get("last_accessed").asText().matches(IMF_FIXDATE));
        assertTrue(changed.get("locked").asBoolean());
        assertTrue(changed.get("lock_expires").asText().matches(IMF_FIXDATE));

        JsonNode listed = get(ADMIN + "?filter%5Bid%5D=" + id);
        assertEquals(List.of(id), ids(listed));
        assertFalse(listed.toString().contains("bob"), "no data in the listing either");
    }

    @Test
    void pagesWalkedByNextLinksListEveryWebSessionOnceOldestFirst() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(WebSessions.createId("{\"i\":" + i + "}"));
        }
        JsonNode first = get(ADMIN + "?fields%5Bweb-sessions%5D=version,data_size&page%5Bsize%5D=2");
        long total = first.at("/meta/total").asLong();
        assertTrue(total >= created.size(), "meta.total counts every live web session: " + total);
        for (String link : List.of("self", "first", "last", "next")) {
            String url = first.at("/links/" + link).asText();
            assertTrue(url.contains("fields%5Bweb-sessions%5D=version%2Cdata_size") && url.contains("page%5Bsize%5D=2")
                    && url.contains(ADMIN + "?"), url);
        }
        assertFalse(first.get("links").has("prev"));
        assertTrue(first.at("/links/last").asText().endsWith("page%5Bnumber%5D=" + ((total + 1) / 2 - 1)));

        List<String> seen = new ArrayList<>(ids(first));
        JsonNode page = first;
        while (page.at("/links/next").isTextual()) {
            page = get(page.at("/links/next").asText());
            assertTrue(page.at("/links/prev").isTextual());
            page.get("data").forEach(resource -> assertEquals(Set.of("version", "data_size"),
                    fieldNames(resource.get("attributes"))));
            seen.addAll(ids(page));
        }
        assertEquals(seen.size(), Set.copyOf(seen).size(), "no web session on two pages: " + seen);
        assertEquals(created, seen.stream().filter(created::contains).toList(), "every one, oldest first");

        JsonNode beyond = get(ADMIN + "?page%5Bsize%5D=2&page%5Bnumber%5D=1000000000");
        assertEquals(0, beyond.get("data").size());
        assertEquals(total, beyond.at("/meta/total").asLong());
    }

    @Test
    void filtersKeepEqualAttributes() {
        String locked = WebSessions.createId("{\"role\":\"admin\"}");
        String unlocked = WebSessions.createId("{\"role\":\"admin\"}");
        given().contentType(ContentType.JSON).body("{\"ttl\":60}")
                .when().post("/v1/web-sessions/" + locked + "/lock").then().statusCode(200);

        JsonNode lockedOnes = get(ADMIN + "?filter%5Blocked%5D=true&fields%5Bweb-sessions%5D=locked");
        assertTrue(ids(lockedOnes).contains(locked));
        assertFalse(ids(lockedOnes).contains(unlocked));
        lockedOnes.get("data").forEach(resource -> assertTrue(resource.at("/attributes/locked").asBoolean()));
        assertEquals(lockedOnes.get("data").size(), lockedOnes.at("/meta/total").asInt());

        // Filters and paging together: meta.total counts what the filters kept.
        JsonNode paged = get(ADMIN + "?filter%5Bid%5D=" + unlocked + "&filter%5Bversion%5D=1&page%5Bsize%5D=1");
        assertEquals(List.of(unlocked), ids(paged));
        assertEquals(1, paged.at("/meta/total").asInt());
        assertTrue(paged.at("/links/next").isMissingNode());
        assertEquals(0, get(ADMIN + "?filter%5Bid%5D=" + unlocked + "&filter%5Bversion%5D=2").at("/meta/total").asInt());
    }

    @Test
    void deleteKillsTheWebSessionForItsApplication() {
        ExtractableResponse<Response> login = WebSessions.create(DATA);
        String id = login.path("id");
        String cookie = login.path("cookie");

        given().when().delete(ADMIN + id + "/").then().statusCode(204);

        given().when().get("/v1/web-sessions/" + id).then().statusCode(404);
        given().cookie("sessiond.id", cookie).when().get("/v1/web-sessions/current").then().statusCode(404);
        assertEquals("Web session '" + id + "' not found",
                error(given().when().get(ADMIN + id), 404).at("/errors/0/detail").asText());
        error(given().when().delete(ADMIN + id), 404);
        assertFalse(ids(get(ADMIN + "?filter%5Bid%5D=" + id)).contains(id));
    }

    @Test
    void pathsWorkWithoutV1AndWithoutATrailingSlash() {
        String id = WebSessions.createId("{}");
        for (String path : List.of("/admin/web-sessions/" + id, "/admin/web-sessions/" + id + "/", ADMIN + id)) {
            assertEquals(id, get(path).at("/data/id").asText(), path);
        }
        assertTrue(get("/admin/web-sessions").get("data").isArray());
        // The web session API keeps its own path and its plain JSON.
        given().when().get("/v1/web-sessions/" + id).then().statusCode(200).contentType(ContentType.JSON);
    }

    @ParameterizedTest
    @CsvSource({
            "/v1/admin/web-sessions?page%5Bsize%5D=0, page[size]",
            "/v1/admin/web-sessions?page%5Bsize%5D=x, page[size]",
            "/v1/admin/web-sessions?page%5Bsize%5D=2&page%5Bnumber%5D=-1, page[number]",
            "/v1/admin/web-sessions?page%5Bsize%5D=2&page%5Bsnapshot%5D=3, page[snapshot]",
            "/v1/admin/web-sessions?fields%5Bnothing%5D=version, fields[nothing]",
            "/v1/admin/web-sessions?filter%5Bdata%5D=x, filter[data]",
            "/v1/admin/web-sessions?filter%5Bservices%5D=x, filter[services]",
            "/v1/admin/web-sessions?rdns=true, rdns",
            "/v1/admin/web-sessions?pretty=yes, pretty",
            "/v1/admin/web-sessions?sort=data, sort",
            "/v1/admin/web-sessions?user=alice, user",
    })
    void badParametersAre400NamingTheParameter(String path, String parameter) {
        assertBadParameter(path, parameter);
    }

    @Test
    void webSessionsIsAResourceTypeOfTheAdminApi() {
        String id = WebSessions.createId("{}");
        JsonNode sparse = get(ADMIN + id + "?fields%5Bweb-sessions%5D=version");
        assertEquals(Set.of("version"), fieldNames(sparse.at("/data/attributes")));
        // Named on another endpoint, it is a type that exists (it just has no resources there).
        get("/v1/sessions?fields%5Bweb-sessions%5D=version");
    }

    @Test
    void unknownIdsWrongMethodsAndMediaTypes() {
        assertEquals("Web session 'abc' not found",
                error(given().when().get(ADMIN + "abc"), 404).at("/errors/0/detail").asText());
        error(given().when().delete(ADMIN + "0123456789abcdef0123456789abcdef"), 404);
        error(given().when().delete(ADMIN + "?ttl=5"), 405);
        error(given().when().put(ADMIN + WebSessions.createId("{}")), 405);
        error(given().when().get("/v1/admin/nothing"), 404);
        String id = WebSessions.createId("{}");
        given().accept("application/json").when().get(ADMIN + id).then().statusCode(200).contentType(MEDIA_TYPE);
        error(given().accept(MEDIA_TYPE + "; charset=utf-8").when().get(ADMIN + id), 406);
        error(given().when().delete(ADMIN + id + "?ttl=5"), 400);
    }

    @Test
    void unchangedWebSessionsAnswer304() {
        String id = WebSessions.createId("{}");
        String etag = given().when().get(ADMIN + id)
                .then().statusCode(200).header("Cache-Control", "no-cache").extract().header("ETag");
        assertTrue(etag.startsWith("W/\""), etag);
        given().header("If-None-Match", etag).when().get(ADMIN + id).then().statusCode(304);
        given().when().post("/v1/web-sessions/" + id + "/touch").then().statusCode(204);
        given().header("If-None-Match", etag).when().get(ADMIN + id).then().statusCode(200);
    }
}
