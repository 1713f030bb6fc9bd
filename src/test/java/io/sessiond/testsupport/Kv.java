package io.sessiond.testsupport;

import io.restassured.response.Response;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import static io.restassured.RestAssured.given;

/** KV calls through the Consul API, shared by the test classes. */
public final class Kv {

    private Kv() {
    }

    /** PUTs {@code value} to {@code /v1/kv/<keyAndQuery>} and returns Consul's boolean answer. */
    public static boolean put(String keyAndQuery, String value) {
        return Boolean.parseBoolean(given().body(value).when().put("/v1/kv/" + keyAndQuery)
                .then().statusCode(200).extract().asString());
    }

    public static Response get(String keyAndQuery) {
        return given().when().get("/v1/kv/" + keyAndQuery);
    }

    public static long modifyIndex(String key) {
        return get(key).then().statusCode(200).extract().jsonPath().getLong("[0].ModifyIndex");
    }

    /**
     * Removes {@code keys} and their lock-delays from the tables, past the API: for a docs example that must find
     * its keys unused although the server (and its database) is shared with the tests before it.
     */
    public static void forget(DataSource database, String... keys) {
        try (Connection connection = database.getConnection();
             PreparedStatement entries = connection.prepareStatement("DELETE FROM kv_entries WHERE key = ANY (?)");
             PreparedStatement lockDelays = connection.prepareStatement("DELETE FROM kv_lock_delays WHERE key = ANY (?)")) {
            entries.setArray(1, connection.createArrayOf("text", keys));
            entries.executeUpdate();
            lockDelays.setArray(1, connection.createArrayOf("text", keys));
            lockDelays.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long index(Response response) {
        return Long.parseLong(response.header("X-Consul-Index"));
    }
}
