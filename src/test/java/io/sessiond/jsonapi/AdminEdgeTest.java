package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.JsonApiSchema;
import io.sessiond.testsupport.RawHttp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.AdminApi.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API's answers to requests refused around its resources, all JSON:API error documents. */
@QuarkusTest
class AdminEdgeTest {

    /** An id whose escape decodes to a character not allowed in a URI is still just an id that does not exist. */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/sessions/%20", "/sessions/%20", "/v1/sessions/%25", "/v1/services/%25",
            "/services/%20", "/v1/admin/web-sessions/%20", "/admin/web-sessions/%25", "/v1/sessions/%20/connections",
            "/v1/sessions/a%7Cb/relationships/services", "/v1/services/%5E%60%7B"})
    void anIdWithAnEscapedIllegalCharacterIsNotFound(String path) {
        JsonNode document = error(given().urlEncodingEnabled(false).when().get(path), 404);
        assertTrue(document.at("/errors/0/detail").asText().contains("not found"), document.toString());
    }

    /** Escapes are decoded once: {@code %2520} is the id {@code %20}. */
    @Test
    void escapesAreDecodedOnce() {
        JsonNode document = error(given().urlEncodingEnabled(false).when().get("/v1/sessions/%2520"), 404);
        assertEquals("Session '%20' not found", document.at("/errors/0/detail").asText());
        document = error(given().urlEncodingEnabled(false).when().get("/v1/sessions/a%25b"), 404);
        assertEquals("Session 'a%b' not found", document.at("/errors/0/detail").asText());
    }

    @Test
    void killingAnIdWithAnEscapedIllegalCharacterIsNotFound() {
        error(given().urlEncodingEnabled(false).when().delete("/v1/sessions/%20"), 404);
        error(given().urlEncodingEnabled(false).when().delete("/admin/web-sessions/%25"), 404);
    }

    /** An escaped "../" makes an admin path name nothing once decoded: still the admin API's 404. */
    @Test
    void anIdThatDecodesToADotSegmentIsAJsonApiNotFound() {
        JsonNode document = error(given().urlEncodingEnabled(false).when().delete("/v1/sessions/%2e%2e%2f%2e%2e%2f"), 404);
        assertEquals("No admin resource at '/v1/sessions/%2e%2e%2f%2e%2e%2f'", document.at("/errors/0/detail").asText());
        error(given().urlEncodingEnabled(false).when().get("/v1/admin/web-sessions/%2F*x"), 404);
        error(given().urlEncodingEnabled(false).when().get("/services/%2e%2e"), 404);
    }

    @Test
    void aBodyOverTheTransportCapIsAJsonApiError() {
        String body = "x".repeat(1024 * 1024 + 1);
        RawHttp.Answer answer = RawHttp.send("DELETE /v1/sessions/abc HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
        assertEquals(413, answer.status(), answer.raw());
        assertEquals("application/vnd.api+json", answer.header("Content-Type"));
        JsonNode document = JsonApiSchema.assertValid(answer.body());
        assertEquals("413", document.at("/errors/0/status").asText());
        assertEquals("Request body of 1048577 bytes is larger than the limit of 1048576 bytes",
                document.at("/errors/0/detail").asText());
    }

    @Test
    void ambiguousFramingIsAJsonApiError() {
        RawHttp.Answer answer = RawHttp.send("DELETE /sessions/abc HTTP/1.1\r\nHost: localhost\r\n"
                + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
        assertEquals(400, answer.status(), answer.raw());
        assertEquals("application/vnd.api+json", answer.header("Content-Type"));
        JsonNode document = JsonApiSchema.assertValid(answer.body());
        assertEquals("Transfer-Encoding 'gzip, chunked' is refused: the only transfer coding accepted is chunked, alone",
                document.at("/errors/0/detail").asText());
    }
}
