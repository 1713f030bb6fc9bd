package io.sessiond.jsonapi;

import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.session.SessionAdministration;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Names and ids with text PostgreSQL cannot store name nothing that can exist, and are not sent to it.
 * (How the admin routes answer such a path over HTTP is decided before the resource, by AdminRoutes.)
 */
@QuarkusTest
class AdminRequestInputTest {

    @Inject
    SessionAdministration administration;

    @Test
    void aServiceNameWithNulOrALoneSurrogateIsNoService() {
        assertEquals(Optional.empty(), administration.service("a\0b"));
        assertEquals(Optional.empty(), administration.service("a\uD800"));
    }

    @Test
    void aWebSessionIdWithNulIsNotFound() {
        given().urlEncodingEnabled(false).when().get("/v1/web-sessions/a%00b").then().statusCode(404)
                .contentType(startsWith("application/vnd.api+json"))
                .body("errors[0].status", equalTo("404"));
    }
}
