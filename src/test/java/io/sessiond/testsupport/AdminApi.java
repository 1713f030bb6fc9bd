package io.sessiond.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Admin API (JSON:API) calls over HTTP, every document checked by {@link JsonApiSchema}; shared by the test classes. */
public final class AdminApi {

    public static final String MEDIA_TYPE = "application/vnd.api+json";
    /** MaxScale's date format: IMF-fixdate with a zero-padded day. */
    public static final String IMF_FIXDATE = "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";

    private AdminApi() {
    }

    /** GETs {@code url} (sent as it is, already encoded), expects a 200 JSON:API document and returns it. */
    public static JsonNode get(String url) {
        Response response = given().urlEncodingEnabled(false).when().get(url);
        response.then().statusCode(200).contentType(MEDIA_TYPE);
        return JsonApiSchema.assertValid(response.asString());
    }

    /** Expects {@code response} to be a JSON:API error document of {@code status} and returns it. */
    public static JsonNode error(Response response, int status) {
        response.then().statusCode(status).contentType(MEDIA_TYPE);
        JsonNode document = JsonApiSchema.assertValid(response.asString());
        assertEquals(Integer.toString(status), document.at("/errors/0/status").asText());
        return document;
    }

    /** Expects a GET of {@code path} (sent as it is) to be refused with 400 naming {@code parameter}. */
    public static void assertBadParameter(String path, String parameter) {
        JsonNode document = error(given().urlEncodingEnabled(false).when().get(path), 400);
        assertEquals(parameter, document.at("/errors/0/source/parameter").asText());
        assertEquals("Bad Request", document.at("/errors/0/title").asText());
        assertFalse(document.at("/errors/0/detail").asText().isEmpty());
    }

    /** The IDs of a collection document's resources, in order. */
    public static List<String> ids(JsonNode document) {
        List<String> ids = new ArrayList<>();
        document.get("data").forEach(resource -> ids.add(resource.get("id").asText()));
        return ids;
    }

    public static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
