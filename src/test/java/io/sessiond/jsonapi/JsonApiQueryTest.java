package io.sessiond.jsonapi;

import io.sessiond.jsonapi.JsonApiQuery.Family;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API's query parameters parsed and checked without the application: each rule and its 400. */
class JsonApiQueryTest {

    private static final Set<Family> ALL = EnumSet.allOf(Family.class);
    private static final Set<String> TYPES = Set.of("sessions", "services");
    private static final Set<String> PRIMARY = Set.of("attributes", "relationships");

    private static JsonApiQuery parse(String query) {
        return JsonApiQuery.parse(query, ALL, TYPES, PRIMARY);
    }

    /** The 400's detail, after checking it names {@code parameter}. */
    private static String refusal(String query, Set<Family> families, String parameter) {
        JsonApiException refused = assertThrows(JsonApiException.class, () -> JsonApiQuery.parse(query, families, TYPES, PRIMARY));
        assertEquals(400, refused.status().getStatusCode());
        assertEquals(parameter, refused.parameter());
        return refused.getMessage();
    }

    private static String refusal(String query, String parameter) {
        return refusal(query, ALL, parameter);
    }

    @Test
    void nothingAskedIsTheDefaults() {
        for (String query : new String[]{null, "", "&", "token=secret"}) {
            JsonApiQuery parsed = parse(query);
            assertEquals(List.of(), parsed.parameters());
            assertEquals(Optional.empty(), parsed.fields("sessions"));
            assertEquals(Map.of(), parsed.filters());
            assertEquals(Optional.empty(), parsed.page());
            assertFalse(parsed.rdns());
            assertFalse(parsed.pretty());
            assertEquals(OptionalLong.empty(), parsed.ttl());
        }
    }

    @Test
    void everyFamilyIsRead() {
        JsonApiQuery parsed = parse("fields%5Bsessions%5D=attributes/name,,/relationships/services/,id&filter[attributes/state]=a%20b"
                + "&page[size]=10&page[number]=0&page[snapshot]=1&rdns=true&pretty=true&ttl=0&token=t");
        assertEquals(Optional.of(List.of(List.of("attributes", "name"), List.of("relationships", "services"), List.of("id"))),
                parsed.fields("sessions"));
        assertEquals(Optional.empty(), parsed.fields("services"));
        assertEquals(Map.of("attributes/state", FieldValues.Filter.parse(List.of("attributes", "state"), "a b", "filter[attributes/state]")),
                parsed.filters());
        assertEquals(FieldValues.Operator.EQ, parsed.filters().get("attributes/state").operator());
        assertEquals("a b", parsed.filters().get("attributes/state").operand().asText());
        assertEquals(Optional.of(new JsonApiQuery.Page(10, 0, OptionalLong.of(1))), parsed.page());
        assertTrue(parsed.rdns());
        assertTrue(parsed.pretty());
        assertEquals(OptionalLong.of(0), parsed.ttl());
        // Links repeat what was sent, decoded and in order, without the token.
        assertEquals(List.of("fields[sessions]", "filter[attributes/state]", "page[size]", "page[number]", "page[snapshot]",
                "rdns", "pretty", "ttl"), parsed.parameters().stream().map(Map.Entry::getKey).toList());
        assertFalse(parse("rdns=false&pretty=false").rdns());
        assertFalse(parse("rdns=false&pretty=false").pretty());
        assertEquals(Optional.of(new JsonApiQuery.Page(1, 0, OptionalLong.empty())), parse("page[size]=1").page());
        assertEquals(Optional.of(new JsonApiQuery.Page(5, 3, OptionalLong.empty())), parse("page[size]=5&page[number]=3").page());
        assertEquals(Map.of("id", FieldValues.Filter.parse(List.of("id"), "x", "filter[id]")), parse("filter[id]=x").filters());
        assertEquals(OptionalLong.of(30), parse("ttl=30").ttl());
        assertEquals(Optional.of(List.of()), parse("fields[sessions]=").fields("sessions"));
    }

    @Test
    void unknownRepeatedOrUnsupportedParametersAre400() {
        assertEquals("Unknown query parameter 'flag'", refusal("flag", "flag"));
        assertEquals("Unknown query parameter 'x'", refusal("x=1", "x"));
        assertEquals("Query parameter 'pretty' is given more than once", refusal("pretty=true&pretty=true", "pretty"));
        assertEquals("Sorting is not supported here: this collection is ordered by creation time, then ID",
                refusal("sort=id", EnumSet.complementOf(EnumSet.of(Family.SORT)), "sort"));
        assertEquals("Unknown query parameter 'page[offset]' (paging takes page[size] and page[number])",
                refusal("page[offset]=1", "page[offset]"));
        for (Family family : EnumSet.complementOf(EnumSet.of(Family.SORT))) {
            Set<Family> without = EnumSet.complementOf(EnumSet.of(family));
            String name = switch (family) {
                case FIELDS -> "fields[sessions]";
                case FILTER -> "filter[id]";
                case PAGE -> "page[size]";
                case SNAPSHOT -> "page[snapshot]";
                case RDNS -> "rdns";
                case PRETTY -> "pretty";
                case TTL -> "ttl";
                case BLOCKING -> "index";
                case SORT -> throw new AssertionError("sorting has its own refusal, checked above");
            };
            String value = family == Family.FIELDS || family == Family.FILTER ? "x" : family == Family.RDNS || family == Family.PRETTY ? "true" : "1";
            String query = family == Family.SNAPSHOT ? "page[size]=1&" + name + "=" + value : name + "=" + value;
            assertEquals("Query parameter '" + name + "' is not supported here", refusal(query, without, name), family.name());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "fields[nodes]=a                  | fields[nodes]   | No resource type 'nodes' (types: services, sessions)",
            "filter[meta]=1                   | filter[meta]    | Cannot filter on 'meta': not a field of this resource type",
            "filter[]=1                       | filter[]        | Cannot filter on '': not a field of this resource type",
            "filter[/]=1                      | filter[/]       | Cannot filter on '/': not a field of this resource type",
            "rdns=yes                         | rdns            | 'rdns' must be true or false, not 'yes'",
            "pretty                           | pretty          | 'pretty' must be true or false, not ''",
            "ttl=-1                           | ttl             | 'ttl' must be an integer of at least 0, not '-1'",
            "ttl=1.5                          | ttl             | 'ttl' must be an integer of at least 0, not '1.5'",
            "page[size]=0                     | page[size]      | 'page[size]' must be an integer of at least 1, not '0'",
            "page[size]=1&page[number]=-1     | page[number]    | 'page[number]' must be an integer of at least 0, not '-1'",
            "page[size]=1&page[snapshot]=0    | page[snapshot]  | 'page[snapshot]' must be an integer of at least 1, not '0'",
            "page[number]=1                   | page[size]      | Paging needs 'page[size]'",
            "page[snapshot]=1                 | page[size]      | Paging needs 'page[size]'"})
    void badValuesAre400NamingTheRule(String query, String parameter, String detail) {
        assertEquals(detail, refusal(query, parameter));
    }

    @Test
    void aBlockingReadWaitsForAnIndexAtMostTenMinutes() {
        JsonApiQuery parsed = parse("index=7&wait=30s");
        assertEquals(OptionalLong.of(7), parsed.index());
        assertEquals(Duration.ofSeconds(30), parsed.waitTime());
        assertEquals(List.of(), parsed.parameters(), "links leave the waiting parameters out");
        assertEquals(OptionalLong.empty(), parse("").index());
        assertEquals(JsonApiQuery.DEFAULT_WAIT, parse("").waitTime());
        assertEquals(OptionalLong.empty(), parse("index=0").index(), "index 0 answers at once");
        assertEquals(OptionalLong.of(-1), parse("index=18446744073709551615").index(), "an unsigned 64-bit index");
        assertEquals(JsonApiQuery.DEFAULT_WAIT, parse("wait=0s").waitTime());
        assertEquals(Duration.ofNanos(1), parse("wait=1ns").waitTime());
        assertEquals(Duration.ofMinutes(10).minusNanos(1), parse("wait=9m59.999999999s").waitTime());
        assertEquals(JsonApiQuery.MAX_WAIT, parse("wait=10m").waitTime());
        assertEquals(JsonApiQuery.MAX_WAIT, parse("wait=10m0.000000001s").waitTime());
        assertEquals(JsonApiQuery.MAX_WAIT, parse("wait=1h").waitTime());
    }

    @Test
    void badBlockingParametersAre400() {
        assertEquals("'index' must be an unsigned integer (an X-Consul-Index), not 'abc'", refusal("index=abc", "index"));
        assertEquals("'index' must be an unsigned integer (an X-Consul-Index), not '-1'", refusal("index=-1", "index"));
        assertEquals("'wait' must be a duration such as 30s or 5m, not '5'", refusal("wait=5", "wait"));
        assertEquals("Query parameter 'index' is given more than once", refusal("index=1&index=2", "index"));
        assertEquals("Query parameter 'wait' is not supported here",
                refusal("wait=1s", EnumSet.complementOf(EnumSet.of(Family.BLOCKING)), "wait"));
    }

    @Test
    void sortKeysAreFieldPathsMostSignificantFirst() {
        assertEquals(List.of(new FieldValues.SortKey(List.of("attributes", "name"), false),
                        new FieldValues.SortKey(List.of("id"), true),
                        new FieldValues.SortKey(List.of("relationships", "services"), true)),
                parse("sort=attributes/name,-id,-/relationships/services/").sort());
        assertEquals(List.of(), parse("").sort());
        for (String key : new String[]{"meta", "", "-", "/"}) {
            assertEquals("Cannot sort on '" + key + "': not a field of this resource type", refusal("sort=" + key, "sort"));
        }
        assertEquals("Cannot sort on '': not a field of this resource type", refusal("sort=id,", "sort"));
        assertEquals("Sorting is not supported here: this collection is ordered by creation time, then ID",
                refusal("sort=id", EnumSet.complementOf(EnumSet.of(Family.SORT)), "sort"));
    }

    @Test
    void aPairIsSplitAtItsFirstEqualsSign() {
        assertEquals("Unknown query parameter ''", refusal("=rdns", ""));
        assertEquals("'rdns' must be true or false, not ''", refusal("rdns", "rdns"));
        assertEquals("'rdns' must be true or false, not '=true'", refusal("rdns==true", "rdns"));
    }
}
