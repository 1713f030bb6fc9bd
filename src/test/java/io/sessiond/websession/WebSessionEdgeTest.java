package io.sessiond.websession;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sessiond.testsupport.JsonApiSchema;
import io.sessiond.testsupport.RawHttp;
import io.sessiond.testsupport.WebSessions;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.AdminApi.error;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The web-session API's answers to requests refused around its resources, all JSON:API error documents. */
@QuarkusTest
class WebSessionEdgeTest {

    private static JsonNode refused(Response response, int status) {
        return error(response, status);
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        Response collection = given().when().delete("/v1/web-sessions");
        JsonNode document = refused(collection, 405);
        collection.then().header("Allow", "OPTIONS,POST");
        assertEquals("Method DELETE is not allowed on '/v1/web-sessions'", document.at("/errors/0/detail").asText());

        Response single = given().when().patch("/v1/web-sessions/abc");
        refused(single, 405);
        single.then().header("Allow", "OPTIONS,HEAD,GET,PUT,DELETE");
        refused(given().when().get("/v1/web-sessions/abc/lock"), 405).toString();
        given().when().get("/v1/web-sessions/abc/lock").then().header("Allow", "OPTIONS,POST,DELETE");
        refused(given().when().put("/v1/web-sessions/abc/touch"), 405);
    }

    @Test
    void optionsListsTheMethods() {
        given().when().options("/v1/web-sessions/abc/touch").then().statusCode(204).header("Allow", "OPTIONS,POST");
        given().when().options("/v1/web-sessions/current").then().statusCode(204).header("Allow", "OPTIONS,HEAD,GET");
    }

    @Test
    void anUnknownPathUnderTheApiIs404() {
        JsonNode document = refused(given().when().get("/v1/web-sessions/a/b/c"), 404);
        assertEquals("No web-session resource at '/v1/web-sessions/a/b/c'", document.at("/errors/0/detail").asText());
        refused(given().when().post("/v1/web-sessions/abc/unknown"), 404);
        refused(given().urlEncodingEnabled(false).when().get("/v1/web-sessions//touch"), 404);
    }

    /** What is declared still works, with or without a trailing slash. */
    @Test
    void declaredRoutesStillWork() {
        String id = WebSessions.createId("{\"k\":1}");
        given().when().get("/v1/web-sessions/" + id).then().statusCode(200).body("id", equalTo(id));
        given().when().get("/v1/web-sessions/" + id + "/").then().statusCode(200).body("id", equalTo(id));
        given().when().post("/v1/web-sessions/" + id + "/touch").then().statusCode(204);
        given().contentType(ContentType.JSON).body("{}").when().post("/v1/web-sessions/").then().statusCode(201);
    }

    @Test
    void aBodyOverTheTransportCapIsAJsonApiError() {
        String body = "x".repeat(1024 * 1024 + 1);
        RawHttp.Answer answer = RawHttp.send("POST /v1/web-sessions HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
        assertEquals(413, answer.status(), answer.raw());
        assertEquals("application/vnd.api+json", answer.header("Content-Type"));
        JsonNode document = JsonApiSchema.assertValid(answer.body());
        assertEquals("413", document.at("/errors/0/status").asText());
    }

    @Test
    void ambiguousFramingIsAJsonApiErrorAndChangesNothing() {
        String id = WebSessions.createId("{\"k\":\"orig\"}");
        String body = "{\"data\":{\"k\":\"evil\"}}";
        RawHttp.Answer answer = RawHttp.send("PUT /v1/web-sessions/" + id + " HTTP/1.1\r\nHost: localhost\r\n"
                + "If-Match: *\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
        assertEquals(400, answer.status(), answer.raw());
        assertEquals("application/vnd.api+json", answer.header("Content-Type"));
        JsonNode document = JsonApiSchema.assertValid(answer.body());
        assertEquals("Content-Length and Transfer-Encoding together are refused: a request body is framed by one of them",
                document.at("/errors/0/detail").asText());
        given().when().get("/v1/web-sessions/" + id).then().statusCode(200).body("data.k", equalTo("orig"));
    }
}
