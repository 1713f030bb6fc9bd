package io.sessiond.websession;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sessiond.testsupport.Sql;
import io.sessiond.testsupport.WebSessions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Web-session bodies that are refused whole: trailing tokens after the JSON, numbers beyond a double, and
 * text PostgreSQL cannot store (U+0000, a lone surrogate). Each is a 400 error document naming the member,
 * and no session is created or changed.
 */
@QuarkusTest
class WebSessionRequestInputTest {

    @Inject
    DataSource database;

    private static ValidatableResponse post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then()
                .contentType(startsWith("application/vnd.api+json"));
    }

    private static ValidatableResponse save(String id, String body) {
        return given().contentType(ContentType.JSON).header("If-Match", "*").body(body)
                .when().put("/v1/web-sessions/" + id).then()
                .contentType(startsWith("application/vnd.api+json"));
    }

    @Test
    void trailingTokensAfterTheBodyAreRefused() throws SQLException {
        String marker = "m" + UUID.randomUUID();
        post("/v1/web-sessions", "{\"data\":{\"marker\":\"" + marker + "\"}}x").statusCode(400)
                .body("errors[0].status", equalTo("400"))
                .body("errors[0].detail", equalTo("Request body is not JSON: unexpected 'x' after the JSON value"));
        post("/v1/web-sessions", "{\"data\":{\"marker\":\"" + marker + "\"}} {}").statusCode(400);
        assertEquals(0, sessionsWith(marker));

        String id = WebSessions.createId("{\"n\":1}");
        save(id, "{\"data\":{\"n\":2}}]").statusCode(400);
        assertEquals("{\"n\": 1}", data(id));
    }

    @Test
    void numbersBeyondADoubleAreRefusedNamingTheMember() throws SQLException {
        String marker = "m" + UUID.randomUUID();
        post("/v1/web-sessions", "{\"data\":{\"marker\":\"" + marker + "\",\"k\":1e999999}}").statusCode(400)
                .body("errors[0].detail", equalTo("Number at data.k is out of range: 1e999999"));
        post("/v1/web-sessions", "{\"data\":{\"marker\":\"" + marker + "\",\"list\":[1,-1e400]}}").statusCode(400)
                .body("errors[0].detail", equalTo("Number at data.list[1] is out of range: -1e400"));
        post("/v1/web-sessions", "1e400").statusCode(400)
                .body("errors[0].detail", equalTo("The body is out of range: 1e400"));
        assertEquals(0, sessionsWith(marker));

        String id = WebSessions.createId("{\"n\":1}");
        save(id, "{\"data\":{\"n\":1e400}}").statusCode(400)
                .body("errors[0].detail", equalTo("Number at data.n is out of range: 1e400"));
        post("/v1/web-sessions/" + id + "/lock", "{\"ttl\":1e400}").statusCode(400)
                .body("errors[0].detail", equalTo("Number at ttl is out of range: 1e400"));
        assertEquals("{\"n\": 1}", data(id));
    }

    @Test
    void aLoneSurrogateIsRefusedNamingTheMember() throws SQLException {
        String marker = "m" + UUID.randomUUID();
        post("/v1/web-sessions", "{\"data\":{\"marker\":\"" + marker + "\",\"s\":\"\\ud800\"}}").statusCode(400)
                .body("errors[0].detail", equalTo("Web session data: data.s must not contain a lone surrogate (U+D800)"));
        post("/v1/web-sessions", "{\"data\":{\"marker\":\"" + marker + "\",\"\\ud800x\":1}}").statusCode(400)
                .body("errors[0].detail", containsString("surrogate"));
        post("/v1/web-sessions", "{\"data\":{\"marker\":\"" + marker + "\",\"\\udc00\":1}}").statusCode(400)
                .body("errors[0].detail", containsString("surrogate"));
        post("/v1/web-sessions", "{\"data\":{\"marker\":\"" + marker + "\",\"s\":[\"a\\u0000\"]}}").statusCode(400)
                .body("errors[0].detail", equalTo("Web session data: data.s[0] must not contain the character U+0000"));
        assertEquals(0, sessionsWith(marker));

        String id = WebSessions.createId("{\"n\":1}");
        save(id, "{\"data\":{\"s\":\"x\\udfff\"}}").statusCode(400);
        assertEquals("{\"n\": 1}", data(id));
        // A surrogate pair is one character, and stored as such.
        given().contentType(ContentType.JSON).header("If-Match", "*").body("{\"data\":{\"s\":\"\\ud83d\\ude00\"}}")
                .when().put("/v1/web-sessions/" + id).then().statusCode(200).body("data.s", equalTo("\uD83D\uDE00"));
    }

    private long sessionsWith(String marker) throws SQLException {
        return Sql.count(database, "SELECT count(*) FROM web_sessions WHERE data::text LIKE '%' || ? || '%'", marker);
    }

    private String data(String id) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT data::text FROM web_sessions WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
