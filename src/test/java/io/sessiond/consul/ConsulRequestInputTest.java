package io.sessiond.consul;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static io.sessiond.testsupport.Sql.count;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request bodies and parameters Consul's endpoints refuse before anything is written: JSON with trailing
 * tokens or numbers a field cannot hold, and text PostgreSQL cannot store (U+0000, lone surrogates).
 * Each is a 400 in Consul's plain-text form naming the field, and the tables are as before.
 */
@QuarkusTest
class ConsulRequestInputTest {

    @Inject
    DataSource database;

    @TestHTTPResource("/")
    URL server;

    private static ValidatableResponse put(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().put(path).then()
                .contentType(startsWith("text/plain"));
    }

    @Test
    void trailingTokensAfterABodyAreRefused() throws SQLException {
        String name = unique("trailing");
        put("/v1/session/create", "{\"Name\":\"" + name + "\",\"TTL\":\"15s\"} {}").statusCode(400)
                .body(equalTo("Request decode failed: invalid character '{' after top-level value"));
        put("/v1/session/create", "{\"Name\":\"" + name + "\"}x").statusCode(400)
                .body(equalTo("Request decode failed: invalid character 'x' after top-level value"));
        assertEquals(0, count(database, "SELECT count(*) FROM sessions WHERE name = ?", name));

        String node = unique("trailing");
        put("/v1/catalog/register", "{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.1\"}]").statusCode(400)
                .body(equalTo("Request decode failed: invalid character ']' after top-level value"));
        assertEquals(0, count(database, "SELECT count(*) FROM nodes WHERE name = ?", node));
    }

    @Test
    void aLockDelayBeyondADurationIsRefusedNamingTheField() throws SQLException {
        String name = unique("lockdelay");
        put("/v1/session/create", "{\"Name\":\"" + name + "\",\"LockDelay\":1e400}").statusCode(400)
                .body(equalTo("Request decode failed: json: cannot unmarshal number 1e400 into Go struct field "
                        + "Session.LockDelay of type float64"));
        put("/v1/session/create", "{\"Name\":\"" + name + "\",\"LockDelay\":1e300}").statusCode(400)
                .body(equalTo("Request decode failed: json: cannot unmarshal number 1.0E300 into Go struct field "
                        + "Session.LockDelay of type time.Duration"));
        put("/v1/session/create", "{\"Name\":\"" + name + "\",\"LockDelay\":9223372036854775808}").statusCode(400)
                .body(equalTo("Request decode failed: json: cannot unmarshal number 9223372036854775808 into Go "
                        + "struct field Session.LockDelay of type time.Duration"));
        assertEquals(0, count(database, "SELECT count(*) FROM sessions WHERE name = ?", name));
    }

    @Test
    void aNonFiniteNumberAnywhereInABodyIsRefusedNamingItsField() throws SQLException {
        String node = unique("huge");
        put("/v1/catalog/register", "{\"Node\":\"" + node + "\",\"Service\":{\"Service\":\"web\",\"Port\":1e400}}")
                .statusCode(400)
                .body(equalTo("Request decode failed: json: cannot unmarshal number 1e400 into Go struct field "
                        + "RegisterRequest.Service.Port of type float64"));
        put("/v1/catalog/register", "{\"Node\":\"" + node + "\",\"Service\":{\"Service\":\"web\",\"Port\":3000000000}}")
                .statusCode(400)
                .body(equalTo("Request decode failed: json: cannot unmarshal number 3000000000 into Go struct field "
                        + "RegisterRequest.Service.Port of type int"));
        put("/v1/catalog/register", "{\"Node\":\"" + node + "\",\"Unknown\":[-1e999999]}").statusCode(400)
                .body(equalTo("Request decode failed: json: cannot unmarshal number -1e999999 into Go struct field "
                        + "RegisterRequest.Unknown of type float64"));
        put("/v1/catalog/register", "-1e400").statusCode(400)
                .body(equalTo("Request decode failed: json: cannot unmarshal number -1e400 into Go value of type "
                        + "structs.RegisterRequest"));
        assertEquals(0, count(database, "SELECT count(*) FROM nodes WHERE name = ?", node));
    }

    @Test
    void nulInAKvKeyIsRefused() {
        given().urlEncodingEnabled(false).when().get("/v1/kv/a%00b").then().statusCode(400)
                .contentType(startsWith("text/plain"))
                .body(equalTo("Invalid path parameter: key must not contain the character U+0000"));
        given().urlEncodingEnabled(false).body("v").when().put("/v1/kv/a%00b").then().statusCode(400)
                .body(equalTo("Invalid path parameter: key must not contain the character U+0000"));
        given().urlEncodingEnabled(false).when().delete("/v1/kv/a%00b?recurse").then().statusCode(400);
    }

    @Test
    void nulInCatalogRegistrationIsRefusedNamingTheField() throws SQLException {
        String node = unique("nul");
        put("/v1/catalog/register", "{\"Node\":\"a\\u0000b\",\"Address\":\"10.0.0.1\"}").statusCode(400)
                .body(equalTo("Invalid request body: Node must not contain the character U+0000"));
        put("/v1/catalog/register", "{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.1\",\"NodeMeta\":{\"rack\":\"r\\u00001\"}}").statusCode(400)
                .body(equalTo("Invalid request body: NodeMeta.rack must not contain the character U+0000"));
        put("/v1/catalog/register", "{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.1\",\"Service\":{\"Service\":\"web\",\"Tags\":[\"a\",\"\\u0000\"]}}")
                .statusCode(400)
                .body(equalTo("Invalid request body: Service.Tags[1] must not contain the character U+0000"));
        put("/v1/catalog/register", "{\"Node\":\"" + node + "\",\"Address\":\"10.0.0.1\",\"Checks\":[{\"Name\":\"c\",\"Notes\":\"\\ud800\"}]}")
                .statusCode(400)
                .body(equalTo("Invalid request body: Checks[0].Notes must not contain a lone surrogate (U+D800)"));
        assertEquals(0, count(database, "SELECT count(*) FROM nodes WHERE name = ?", node));
        given().urlEncodingEnabled(false).when().get("/v1/catalog/node/a%00b").then().statusCode(400)
                .body(equalTo("Invalid path parameter: node must not contain the character U+0000"));
        given().urlEncodingEnabled(false).when().get("/v1/health/checks/a%00b").then().statusCode(400);
    }

    @Test
    void nulInASessionIsRefusedNamingTheField() throws SQLException {
        String name = unique("nul");
        put("/v1/session/create", "{\"Name\":\"" + name + "\",\"Node\":\"a\\u0000b\"}").statusCode(400)
                .body(equalTo("Invalid request body: Node must not contain the character U+0000"));
        put("/v1/session/create", "{\"Name\":\"" + name + "\\u0000\"}").statusCode(400)
                .body(equalTo("Invalid request body: Name must not contain the character U+0000"));
        assertEquals(0, count(database, "SELECT count(*) FROM sessions WHERE starts_with(name, ?)", name));
        given().urlEncodingEnabled(false).when().get("/v1/session/node/a%00b").then().statusCode(400);
        given().urlEncodingEnabled(false).when().get("/v1/session/info/a%00b").then().statusCode(400);
        given().urlEncodingEnabled(false).when().put("/v1/session/renew/a%00b").then().statusCode(400);
    }

    @Test
    void nulInAnAgentCheckIsRefusedNamingTheField() throws SQLException {
        String name = unique("nul");
        put("/v1/agent/check/register", "{\"Name\":\"" + name + "\",\"Notes\":\"\\u0000\",\"TTL\":\"10s\"}").statusCode(400)
                .body(equalTo("Invalid request body: Notes must not contain the character U+0000"));
        assertEquals(0, count(database, "SELECT count(*) FROM checks WHERE name = ?", name));
        given().urlEncodingEnabled(false).when().put("/v1/agent/check/pass/a%00b").then().statusCode(400);
        given().urlEncodingEnabled(false).when().put("/v1/agent/check/pass/" + name + "?note=a%00b")
                .then().statusCode(400)
                .body(equalTo("Invalid query parameter: note must not contain the character U+0000"));
    }

    /**
     * The client name is stored with the session's connections; the HTTP server refuses a header holding
     * U+0000 before routing (400, no body). Sent over a plain socket: Java's HTTP clients will not send it.
     */
    @Test
    void nulInTheClientNameHeaderIsRefused() throws Exception {
        String name = unique("nul");
        String body = "{\"Name\":\"" + name + "\"}";
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.getOutputStream().write(("PUT /v1/session/create HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Sessiond-Client: worker\u0000-1\r\nContent-Length: " + body.length() + "\r\n"
                    + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        }
        assertEquals(0, count(database, "SELECT count(*) FROM sessions WHERE name = ?", name));
    }
}
