package io.sessiond.consul;

import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.RawHttp;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reaches Consul's routes from the transport, sent as exact bytes: bodies framed ambiguously (request
 * smuggling) and bodies over the transport cap are refused in Consul's plain text and write nothing; Accept
 * never makes a Consul route answer 406.
 */
@QuarkusTest
class ConsulEdgeTest {

    private static final String SMUGGLED_BODY = "4\r\nevil\r\n0\r\n\r\n";

    private static String seeded() {
        String key = unique("smuggle");
        assertTrue(Kv.put(key, "orig"));
        return key;
    }

    private static RawHttp.Answer putWith(String key, String framing, String body) {
        return RawHttp.send("PUT /v1/kv/" + key + " HTTP/1.1\r\nHost: localhost\r\n" + framing + "\r\n" + body);
    }

    private static void assertRefusedAndUnchanged(RawHttp.Answer answer, String key, String message) {
        assertEquals(400, answer.status(), answer.raw());
        assertTrue(answer.header("Content-Type").startsWith("text/plain"), answer.raw());
        assertTrue(answer.body().contains(message), answer.raw());
        assertEquals("close", answer.header("Connection"), answer.raw());
        given().when().get("/v1/kv/" + key + "?raw").then().statusCode(200).body(equalTo("orig"));
    }

    @Test
    void aTransferCodingOtherThanChunkedIsRefused() {
        String key = seeded();
        assertRefusedAndUnchanged(putWith(key, "Transfer-Encoding: xchunked\r\n", SMUGGLED_BODY), key,
                "Transfer-Encoding 'xchunked' is refused");
        assertRefusedAndUnchanged(putWith(key, "Transfer-Encoding: identity\r\n", "evil"), key,
                "Transfer-Encoding 'identity' is refused");
    }

    @Test
    void chunkedAfterAnotherCodingIsRefused() {
        String key = seeded();
        assertRefusedAndUnchanged(putWith(key, "Transfer-Encoding: gzip, chunked\r\n", SMUGGLED_BODY), key,
                "Transfer-Encoding 'gzip, chunked' is refused");
        assertRefusedAndUnchanged(putWith(key, "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                SMUGGLED_BODY), key, "Transfer-Encoding 'chunked, chunked' is refused");
    }

    @Test
    void contentLengthWithTransferEncodingIsRefusedInEitherOrder() {
        String key = seeded();
        String message = "Content-Length and Transfer-Encoding together are refused";
        assertRefusedAndUnchanged(putWith(key, "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", SMUGGLED_BODY),
                key, message);
        assertRefusedAndUnchanged(putWith(key, "Transfer-Encoding: chunked\r\nContent-Length: 13\r\n", SMUGGLED_BODY),
                key, message);
        assertRefusedAndUnchanged(putWith(key, "Transfer-Encoding: chunked\r\nContent-Length:0\r\n", SMUGGLED_BODY),
                key, message);
        assertRefusedAndUnchanged(RawHttp.send("PUT /v1/kv/" + key + " HTTP/1.0\r\nHost: localhost\r\n"
                + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + SMUGGLED_BODY), key, message);
    }

    /** The bytes after a chunked body never become a request: the connection ends with the response. */
    @Test
    void aChunkedBodyIsAcceptedAndItsConnectionClosed() {
        String key = seeded();
        String other = seeded();
        RawHttp.Answer answer = putWith(key, "Transfer-Encoding: chunked\r\n",
                "5\r\nnew-v\r\n0\r\n\r\nPUT /v1/kv/" + other + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nevil");
        assertEquals(200, answer.status(), answer.raw());
        assertEquals("true", answer.body());
        assertEquals("close", answer.header("Connection"), answer.raw());
        given().when().get("/v1/kv/" + key + "?raw").then().statusCode(200).body(equalTo("new-v"));
        given().when().get("/v1/kv/" + other + "?raw").then().statusCode(200).body(equalTo("orig"));
    }

    @Test
    void aBodyOverTheTransportCapIsRefusedInPlainText() {
        String key = seeded();
        String body = "x".repeat(1024 * 1024 + 1);
        RawHttp.Answer answer = putWith(key, "Content-Length: " + body.length() + "\r\n", body);
        assertEquals(413, answer.status(), answer.raw());
        assertTrue(answer.header("Content-Type").startsWith("text/plain"), answer.raw());
        assertEquals("Request body of 1048577 bytes is larger than the limit of 1048576 bytes", answer.body());
        given().when().get("/v1/kv/" + key + "?raw").then().statusCode(200).body(equalTo("orig"));
    }

    /** Consul ignores Accept: each route has one representation. */
    @Test
    void acceptNeverMakesAConsulRouteAnswer406() {
        String key = seeded();
        given().accept("text/plain").when().get("/v1/kv/" + key + "?raw").then().statusCode(200).body(equalTo("orig"));
        given().accept("text/plain").when().get("/v1/kv/" + key).then().statusCode(200)
                .contentType("application/json").body("[0].Key", equalTo(key));
        given().accept("application/xml").body("v2").when().put("/v1/kv/" + key).then().statusCode(200)
                .body(equalTo("true"));
        given().accept("text/html").when().put("/v1/session/create").then().statusCode(200)
                .body("ID", matchesPattern("[0-9a-f-]{36}"));
        given().accept("text/plain").when().get("/v1/session/list").then().statusCode(200);
        given().accept("image/png").when().get("/v1/catalog/nodes").then().statusCode(200);
        given().accept("text/plain").when().get("/v1/agent/self").then().statusCode(200);
    }

    @Test
    void anUnknownPathOutsideEveryDialectIsConsulsNotFound() {
        for (String path : new String[]{"/v1/nothing", "/nothing", "/", "/v1/web-sessionsX", "/v1/adminx"}) {
            given().when().get(path).then().statusCode(404).contentType("text/plain")
                    .body(equalTo("Invalid URL path: not a recognized HTTP API endpoint\n"));
        }
    }
}
