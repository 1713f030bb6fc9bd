package io.sessiond.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sessiond.testsupport.JsonApiSchema;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failure in a Vert.x handler is a 500 in the path's dialect, without the exception's text. */
@QuarkusTest
class RouterFailuresTest {

    @Test
    void aFailureBelowJaxRsOnAConsulPathIsPlainText() {
        Response response = given().when().get(FailingRoutes.CONSUL);
        response.then().statusCode(500).contentType("text/plain");
        assertTrue(response.asString().matches("Internal server error \\(error [0-9a-f-]{36}\\)"), response.asString());
    }

    @Test
    void aFailureBelowJaxRsOnAJsonApiPathIsAnErrorDocument() {
        Response response = given().when().get(FailingRoutes.JSON_API);
        response.then().statusCode(500).contentType("application/vnd.api+json");
        JsonNode document = JsonApiSchema.assertValid(response.asString());
        assertEquals("500", document.at("/errors/0/status").asText());
        assertFalse(response.asString().contains("secret"), response.asString());
    }
}
