package io.sessiond.testsupport;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.matchesPattern;

/** Web session calls over HTTP, shared by the test classes. */
public final class WebSessions {

    private WebSessions() {
    }

    /** Creates a web session with {@code data} (a JSON object) and returns the 201 answer. */
    public static ExtractableResponse<Response> create(String data) {
        return given().contentType(ContentType.JSON).body("{\"data\":" + data + "}")
                .when().post("/v1/web-sessions")
                .then().statusCode(201)
                .body("id", matchesPattern("[0-9a-f]{32}"))
                .extract();
    }

    /** Creates a web session with {@code data} and returns its id. */
    public static String createId(String data) {
        return create(data).path("id");
    }
}
