package io.sessiond.testsupport;

import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.matchesPattern;

/** Session calls through the Consul API, shared by the test classes. */
public final class Sessions {

    private Sessions() {
    }

    /** Creates a session with {@code body} as the create request and returns its ID. */
    public static String create(String body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().put("/v1/session/create")
                .then().statusCode(200)
                .body("ID", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
                .extract().path("ID");
    }
}
