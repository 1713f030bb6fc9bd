package io.sessiond.consul;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sessiond.catalog.LocalNode;
import io.sessiond.testsupport.NodeScript;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consul's path parameters (keys, node names, check IDs, session IDs) are the request's raw path,
 * percent-decoded as strict UTF-8, as Go's net/http gives them to Consul: a {@code ;} is part of the name
 * (Go clients send it unescaped), not the start of a matrix parameter.
 */
@QuarkusTest
class ConsulPathParametersTest {

    @Inject
    DataSource database;

    @Inject
    LocalNode localNode;

    @TestHTTPResource("/")
    URL server;

    @Test
    void aSemicolonIsPartOfTheKeySoTwoKeysStayApart() throws SQLException {
        String prefix = unique("semi");
        given().urlEncodingEnabled(false).body("two").when().put("/v1/kv/" + prefix + "/app;v=2")
                .then().statusCode(200).body(equalTo("true"));
        given().urlEncodingEnabled(false).body("one").when().put("/v1/kv/" + prefix + "/app")
                .then().statusCode(200).body(equalTo("true"));

        assertEquals(List.of(prefix + "/app", prefix + "/app;v=2"), keysUnder(prefix));
        given().urlEncodingEnabled(false).when().get("/v1/kv/" + prefix + "/app;v=2?raw")
                .then().statusCode(200).body(equalTo("two"));
        given().urlEncodingEnabled(false).when().get("/v1/kv/" + prefix + "/app?raw")
                .then().statusCode(200).body(equalTo("one"));
        given().urlEncodingEnabled(false).when().get("/v1/kv/" + prefix + "/app%3Bv=2?raw")
                .then().statusCode(200).body(equalTo("two"));
        given().urlEncodingEnabled(false).when().delete("/v1/kv/" + prefix + "/app;v=2")
                .then().statusCode(200).body(equalTo("true"));
        assertEquals(List.of(prefix + "/app"), keysUnder(prefix));
    }

    @Test
    void theNodeConsulClientKeepsKeysWithASemicolonApart() throws Exception {
        String prefix = unique("npm");
        try (NodeScript script = NodeScript.start("kv-key-check.js", String.valueOf(server.getPort()), prefix)) {
            assertEquals(0, script.await(Duration.ofSeconds(60)), script.output());
        }
        assertEquals(List.of(prefix + "/app", prefix + "/app;v=2", prefix + "/café"), keysUnder(prefix));
    }

    @Test
    void invalidUtf8InAKeyIsRefusedAndWritesNothing() throws SQLException {
        String prefix = unique("utf8");
        given().urlEncodingEnabled(false).body("v").when().put("/v1/kv/" + prefix + "/%FF%FE")
                .then().statusCode(400).contentType(startsWith("text/plain"))
                .body(containsString("not valid UTF-8"));
        given().urlEncodingEnabled(false).when().get("/v1/kv/" + prefix + "/%FF%FE")
                .then().statusCode(400).body(containsString("not valid UTF-8"));
        // UTF-8 for a surrogate is not UTF-8 either (Java's lenient decoding would make it U+FFFD).
        given().urlEncodingEnabled(false).body("v").when().put("/v1/kv/" + prefix + "/%ED%A0%80")
                .then().statusCode(400).body(containsString("not valid UTF-8"));
        assertEquals(List.of(), keysUnder(prefix));
    }

    @Test
    void validUtf8AndEscapedSlashesDecode() throws SQLException {
        String prefix = unique("utf8ok");
        given().urlEncodingEnabled(false).body("v").when().put("/v1/kv/" + prefix + "%2Fcaf%C3%A9+x%20y")
                .then().statusCode(200).body(equalTo("true"));
        assertEquals(List.of(prefix + "/café+x y"), keysUnder(prefix));
    }

    /**
     * Sent over a plain socket: java.net.URI, under every Java HTTP client, refuses to build such a URL.
     * The HTTP server refuses it before routing (400, no body), as Go's server does.
     */
    @Test
    void aMalformedEscapeIsRefused() throws Exception {
        String prefix = unique("esc");
        String answer = rawRequest("PUT /v1/kv/" + prefix + "/%ZZ HTTP/1.1");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        answer = rawRequest("PUT /v1/kv/" + prefix + "/%4 HTTP/1.1");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertEquals(List.of(), keysUnder(prefix));
    }

    @Test
    void dotSegmentsAreRefusedRatherThanResolved() throws Exception {
        String prefix = unique("dots");
        String answer = rawRequest("PUT /v1/kv/" + prefix + "/a/../b HTTP/1.1");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.endsWith("Invalid path parameter: key must not contain a '.' or '..' segment"), answer);
        answer = rawRequest("PUT /v1/kv/../kv/" + prefix + " HTTP/1.1");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        given().urlEncodingEnabled(false).body("v").when().put("/v1/kv/" + prefix + "/a%2F..%2Fb")
                .then().statusCode(400);
        assertEquals(List.of(), keysUnder(prefix));
    }

    /** Sends {@code requestLine} with an empty body and returns the whole answer. */
    private String rawRequest(String requestLine) throws Exception {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.getOutputStream().write((requestLine + "\r\nHost: localhost\r\nContent-Length: 1\r\n"
                    + "Connection: close\r\n\r\nv").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void nodeNamesWithASemicolonAreReadByTheirWholeName() {
        String node = unique("semi") + ";rack=2";
        given().contentType(ContentType.JSON).body("{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.9\"}")
                .when().put("/v1/catalog/register").then().statusCode(200);
        given().urlEncodingEnabled(false).when().get("/v1/catalog/node/" + node)
                .then().statusCode(200).body("Node.Node", equalTo(node));
        given().urlEncodingEnabled(false).when().get("/v1/session/node/" + node)
                .then().statusCode(200).body("size()", equalTo(0));
        given().urlEncodingEnabled(false).when().get("/v1/health/node/" + node)
                .then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void checkIdsWithASemicolonAreUpdatedByTheirWholeId() {
        String checkId = unique("check") + ";ttl";
        given().contentType(ContentType.JSON).body("{\"Name\":\"" + checkId + "\",\"TTL\":\"60s\"}")
                .when().put("/v1/agent/check/register").then().statusCode(200);
        given().urlEncodingEnabled(false).when().put("/v1/agent/check/pass/" + checkId)
                .then().statusCode(200);
        given().when().get("/v1/health/node/" + localNode.name()).then().statusCode(200)
                .body("findAll { it.CheckID == '" + checkId + "' }.Status", hasItem("passing"));
        given().urlEncodingEnabled(false).when().put("/v1/agent/check/deregister/" + checkId)
                .then().statusCode(200);
    }

    private List<String> keysUnder(String prefix) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT key FROM kv_entries WHERE starts_with(key, ?) ORDER BY key")) {
            statement.setString(1, prefix);
            List<String> keys = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
            return keys;
        }
    }
}
