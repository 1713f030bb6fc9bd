package io.sessiond.consul;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.RejectedException;
import io.sessiond.json.StrictObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request bodies read as Go's {@code encoding/json} fills a struct, without the application: case-insensitive
 * keys, each reader's zero value for an absent or null field, Go's {@code cannot unmarshal} texts for a wrong
 * type, and the field named, with its path, when its text cannot be stored.
 */
class GoJsonObjectTest {

    private static final String GO_TYPE = "structs.RegisterRequest";

    private static final ObjectMapper MAPPER = mapper();

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictObjectMapper().customize(mapper);
        return mapper;
    }

    private static GoJsonObject body(String json) {
        return GoJsonObject.parse(MAPPER, json.getBytes(StandardCharsets.UTF_8), GO_TYPE);
    }

    private static String refusal(Executable read) {
        RejectedException refused = assertThrows(RejectedException.class, read);
        assertEquals(RejectedException.Reason.INVALID, refused.reason());
        return refused.getMessage();
    }

    /** Go's text for a JSON value of {@code kind} where a {@code goType} was expected. */
    private static String cannotUnmarshal(String kind, String goType) {
        return "Request decode failed: json: cannot unmarshal " + kind + " into Go value of type " + goType;
    }

    @Test
    void anEmptyBodyOrJsonNullIsAnEmptyObject() {
        for (GoJsonObject empty : List.of(GoJsonObject.parse(MAPPER, null, GO_TYPE), GoJsonObject.parse(MAPPER, new byte[0], GO_TYPE),
                body("null"))) {
            assertFalse(empty.has("Node"));
            assertNull(empty.string("Node"));
        }
    }

    @Test
    void aRootThatIsNoObjectCannotBeUnmarshalled() {
        assertEquals(cannotUnmarshal("array", "structs.RegisterRequest"), refusal(() -> body("[1]")));
        assertEquals(cannotUnmarshal("string", "structs.RegisterRequest"), refusal(() -> body("\"x\"")));
        assertEquals(cannotUnmarshal("number", "structs.RegisterRequest"), refusal(() -> body("7")));
        assertEquals(cannotUnmarshal("bool", "structs.RegisterRequest"), refusal(() -> body("true")));
    }

    @Test
    void malformedTruncatedAndTrailingJsonInGosWords() {
        assertEquals("Request decode failed: unexpected EOF", refusal(() -> body("{\"Node\":")));
        assertEquals("Request decode failed: invalid character 'x' after top-level value", refusal(() -> body("{} x")));
        // Malformed JSON is described by the parser (not in Go's words), after the same prefix.
        String malformed = refusal(() -> body("{,}"));
        assertTrue(malformed.startsWith("Request decode failed: ") && malformed.length() > 30, malformed);
    }

    @Test
    void aNumberBeyondAFloat64IsNamedWhereItIs() {
        assertEquals("Request decode failed: json: cannot unmarshal number 1e400 into Go struct field "
                + "RegisterRequest.Service.Port of type float64", refusal(() -> body("{\"Service\":{\"Port\":1e400}}")));
        assertEquals("Request decode failed: json: cannot unmarshal number 1e400 into Go value of type "
                + "structs.RegisterRequest", refusal(() -> body("1e400")));
    }

    @Test
    void keysMatchWhateverTheirCaseAndTheLastDuplicateWins() {
        GoJsonObject object = body("{\"nOdE\":\"first\",\"NODE\":\"last\"}");
        assertTrue(object.has("Node"));
        assertTrue(object.has("node"));
        assertEquals("last", object.string("Node"));
        assertEquals("last", object.raw("NODE").asText());
        assertNull(object.raw("Address"));
        assertFalse(object.has("Address"));
    }

    @Test
    void strings() {
        GoJsonObject object = body("{\"Node\":\"n1\",\"Address\":null,\"Port\":1,\"Nul\":\"a\\u0000b\"}");
        assertEquals("n1", object.string("Node"));
        assertNull(object.string("Address"));
        assertNull(object.string("Datacenter"));
        assertEquals(cannotUnmarshal("number", "string"), refusal(() -> object.string("Port")));
        assertEquals("Invalid request body: Nul must not contain the character U+0000", refusal(() -> object.string("Nul")));
    }

    @Test
    void bools() {
        GoJsonObject object = body("{\"Yes\":true,\"No\":false,\"Null\":null,\"Text\":\"true\",\"One\":1}");
        assertTrue(object.bool("Yes"));
        assertFalse(object.bool("No"));
        assertFalse(object.bool("Null"));
        assertFalse(object.bool("Absent"));
        assertEquals(cannotUnmarshal("string", "bool"), refusal(() -> object.bool("Text")));
        assertEquals(cannotUnmarshal("number", "bool"), refusal(() -> object.bool("One")));
    }

    @Test
    void integers() {
        GoJsonObject object = body("{\"Port\":8080,\"Negative\":-2147483648,\"Max\":2147483647,\"Null\":null,"
                + "\"Fraction\":1.5,\"Text\":\"1\",\"Big\":2147483648,\"Small\":-2147483649}");
        assertEquals(8080, object.integer("Port"));
        assertEquals(Integer.MIN_VALUE, object.integer("Negative"));
        assertEquals(Integer.MAX_VALUE, object.integer("Max"));
        assertEquals(0, object.integer("Null"));
        assertEquals(0, object.integer("Absent"));
        assertEquals(cannotUnmarshal("number", "int"), refusal(() -> object.integer("Fraction")));
        assertEquals(cannotUnmarshal("string", "int"), refusal(() -> object.integer("Text")));
        assertEquals("Request decode failed: json: cannot unmarshal number 2147483648 into Go struct field "
                + "RegisterRequest.Big of type int", refusal(() -> object.integer("Big")));
        assertEquals("Request decode failed: json: cannot unmarshal number -2147483649 into Go struct field "
                + "RegisterRequest.Small of type int", refusal(() -> object.integer("Small")));
    }

    @Test
    void listsOfStringsKeepNullApartFromEmpty() {
        GoJsonObject object = body("{\"Tags\":[\"a\",null,\"c\"],\"Empty\":[],\"Null\":null,\"Text\":\"a\","
                + "\"Numbers\":[\"a\",1],\"Nul\":[\"ok\",\"a\\u0000\"]}");
        assertEquals(List.of("a", "", "c"), object.strings("Tags", "string"));
        assertEquals(List.of(), object.strings("Empty", "string"));
        assertNull(object.strings("Null", "string"));
        assertNull(object.strings("Absent", "string"));
        assertEquals(cannotUnmarshal("string", "[]types.CheckID"),
                refusal(() -> object.strings("Text", "types.CheckID")));
        assertEquals(cannotUnmarshal("number", "types.CheckID"),
                refusal(() -> object.strings("Numbers", "types.CheckID")));
        assertEquals("Invalid request body: Nul[1] must not contain the character U+0000",
                refusal(() -> object.strings("Nul", "string")));
    }

    @Test
    void mapsOfStringsKeepTheirOrder() {
        GoJsonObject object = body("{\"Meta\":{\"z\":\"1\",\"a\":\"2\"},\"Null\":null,\"List\":[],"
                + "\"Number\":{\"a\":1},\"NulValue\":{\"rack\":\"a\\u0000\"},\"NulKey\":{\"r\\u0000\":\"a\"}}");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("z", "1");
        expected.put("a", "2");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(object.stringMap("Meta").entrySet()));
        assertTrue(object.stringMap("Null").isEmpty());
        assertTrue(object.stringMap("Absent").isEmpty());
        assertEquals(cannotUnmarshal("array", "map[string]string"), refusal(() -> object.stringMap("List")));
        assertEquals(cannotUnmarshal("number", "string"), refusal(() -> object.stringMap("Number")));
        assertEquals("Invalid request body: NulValue.rack must not contain the character U+0000",
                refusal(() -> object.stringMap("NulValue")));
        assertEquals("Invalid request body: a key of NulKey must not contain the character U+0000",
                refusal(() -> object.stringMap("NulKey")));
    }

    @Test
    void nestedObjectsNameTheirFieldsByPath() {
        GoJsonObject object = body("{\"Service\":{\"Tags\":[\"x\",\"\\u0000\"],\"Port\":1e1,\"Weights\":{\"Passing\":5000000000}},"
                + "\"Null\":null,\"Text\":\"a\"}");
        GoJsonObject service = object.object("Service", "structs.NodeService").orElseThrow();
        assertEquals("Invalid request body: Service.Tags[1] must not contain the character U+0000",
                refusal(() -> service.strings("Tags", "string")));
        GoJsonObject weights = service.object("Weights", "structs.Weights").orElseThrow();
        assertEquals("Request decode failed: json: cannot unmarshal number 5000000000 into Go struct field "
                + "RegisterRequest.Service.Weights.Passing of type int", refusal(() -> weights.integer("Passing")));
        assertTrue(object.object("Null", "structs.NodeService").isEmpty());
        assertTrue(object.object("Absent", "structs.NodeService").isEmpty());
        assertEquals(cannotUnmarshal("string", "structs.NodeService"),
                refusal(() -> object.object("Text", "structs.NodeService")));
    }

    @Test
    void listsOfObjectsNameTheirElementsByIndex() {
        GoJsonObject object = body("{\"Checks\":[{\"CheckID\":\"a\"},{\"CheckID\":\"b\",\"Notes\":\"\\ud800\","
                + "\"Interval\":3000000000},null],\"Null\":null,\"Object\":{},\"Strings\":[\"a\"]}");
        List<GoJsonObject> checks = object.objects("Checks", "structs.HealthCheck");
        assertEquals(3, checks.size());
        assertEquals("a", checks.get(0).string("CheckID"));
        assertEquals("b", checks.get(1).string("CheckID"));
        assertFalse(checks.get(2).has("CheckID"));
        assertEquals("Invalid request body: Checks[1].Notes must not contain a lone surrogate (U+D800)",
                refusal(() -> checks.get(1).string("Notes")));
        assertEquals("Request decode failed: json: cannot unmarshal number 3000000000 into Go struct field "
                + "RegisterRequest.Checks.Interval of type int", refusal(() -> checks.get(1).integer("Interval")));
        assertEquals(List.of(), object.objects("Null", "structs.HealthCheck"));
        assertEquals(List.of(), object.objects("Absent", "structs.HealthCheck"));
        assertEquals(cannotUnmarshal("object", "[]structs.HealthCheck"),
                refusal(() -> object.objects("Object", "structs.HealthCheck")));
        assertEquals(cannotUnmarshal("string", "structs.HealthCheck"),
                refusal(() -> object.objects("Strings", "structs.HealthCheck")));
    }
}
