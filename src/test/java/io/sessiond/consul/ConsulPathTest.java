package io.sessiond.consul;

import io.sessiond.RejectedException;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Path parameters read from the raw path as Go's router reads them: strict percent-decoding, UTF-8, no dot segments. */
class ConsulPathTest {

    private static String refusal(String rawPath) {
        RejectedException refused = assertThrows(RejectedException.class, () -> ConsulPath.kvKey(rawPath));
        assertEquals(RejectedException.Reason.INVALID, refused.reason());
        return refused.getMessage();
    }

    @Test
    void theKeyIsEverythingAfterThePrefixDecoded() {
        assertEquals("a/b", ConsulPath.kvKey("/v1/kv/a/b"));
        assertEquals("", ConsulPath.kvKey("/v1/kv/"));
        assertEquals("a b/c?d", ConsulPath.kvKey("/v1/kv/a%20b%2Fc%3fd"));
        assertEquals("a\nb", ConsulPath.kvKey("/v1/kv/a%0Ab"));
        assertEquals("é", ConsulPath.kvKey("/v1/kv/%C3%A9"));
        assertEquals("a/", ConsulPath.kvKey("/v1/kv/a/"));
        assertEquals("z%", ConsulPath.kvKey("/v1/kv/z%25"));
        // The prefix itself may be escaped: it is compared after decoding, as the router matched it.
        assertEquals("x", ConsulPath.kvKey("/v1/%6bv/x"));
        assertEquals("id", ConsulPath.parameter("/v1/session/info/id", "/v1/session/info/", "id"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v1/kv/%zz  | Invalid path parameter: key: invalid URL escape \"%zz\"",
            "/v1/kv/%4   | Invalid path parameter: key: invalid URL escape \"%4\"",
            "/v1/kv/a%   | Invalid path parameter: key: invalid URL escape \"%\"",
            "/v1/kv/%g1  | Invalid path parameter: key: invalid URL escape \"%g1\"",
            "/v1/kv/%1g  | Invalid path parameter: key: invalid URL escape \"%1g\"",
            "/v1/kv/%C3  | Invalid path parameter: key is not valid UTF-8: %C3",
            "/v1/kvx/a   | Invalid URL path: /v1/kvx/a is not in canonical form",
            "/v1/kv      | Invalid URL path: /v1/kv is not in canonical form",
            "/v2/kv/a    | Invalid URL path: /v2/kv/a is not in canonical form",
            "v1/kv/a     | Invalid URL path: v1/kv/a is not in canonical form"})
    void badEscapesAndPathsOutsideThePrefixAreRefused(String rawPath, String detail) {
        assertEquals(detail, refusal(rawPath));
    }

    @Test
    void dotSegmentsAreRefused() {
        for (String path : new String[]{"/v1/kv/.", "/v1/kv/a/..", "/v1/kv/../b", "/v1/kv/a/./b", "/v1/kv/%2e%2E"}) {
            assertEquals("Invalid path parameter: key must not contain a '.' or '..' segment", refusal(path), path);
        }
        assertEquals("a.b/..c/...", ConsulPath.kvKey("/v1/kv/a.b/..c/..."));
    }

    @Test
    void charsAboveAByteAreTheirUtf8() {
        assertEquals("\u20ac", ConsulPath.decode("\u20ac", "key"));
        assertEquals("\u0100", ConsulPath.decode("\u0100", "key"));
        // One char per byte of the request line: a char below 0x100 is that byte, here not UTF-8 alone.
        assertThrows(RejectedException.class, () -> ConsulPath.decode("\u00fc", "key"));
        assertEquals("\u00ff", ConsulPath.decode("%C3%BF", "key"));
    }

    /** The overloads for a Vert.x request read its raw path, as a filter sees it before JAX-RS decodes it. */
    @Test
    void aRequestIsReadByItsRawPath() {
        assertEquals("a;b", ConsulPath.kvKey(requestFor("/v1/kv/a%3Bb")));
        assertEquals("n/1", ConsulPath.parameter(requestFor("/v1/catalog/node/n%2F1"), "/v1/catalog/node/", "node"));
    }

    private static HttpServerRequest requestFor(String rawPath) {
        return (HttpServerRequest) Proxy.newProxyInstance(HttpServerRequest.class.getClassLoader(),
                new Class<?>[]{HttpServerRequest.class}, (proxy, method, args) -> {
                    if (method.getName().equals("path")) {
                        return rawPath;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aNulIsRefusedAsUnstorable() {
        RejectedException refused = assertThrows(RejectedException.class, () -> ConsulPath.kvKey("/v1/kv/a%00b"));
        assertEquals(RejectedException.Reason.INVALID, refused.reason());
        assertEquals(true, refused.getMessage().startsWith("Invalid path parameter: key"), refused.getMessage());
    }
}
