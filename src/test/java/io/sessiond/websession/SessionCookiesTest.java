package io.sessiond.websession;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.sessiond.web.WebSessionConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Set-Cookie headers built from configuration, without the application: attributes, lifetimes, refusals. */
class SessionCookiesTest {

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** A configuration with Beaker's defaults, changed by {@code overrides} (method name to value). */
    private static SessionCookies cookies(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of("cookieName", "beaker.session.id", "cookieExpires", "session",
                "domain", Optional.empty(), "path", "/", "secure", false, "httponly", false, "samesite", "Lax"));
        values.putAll(overrides);
        WebSessionConfig config = (WebSessionConfig) Proxy.newProxyInstance(WebSessionConfig.class.getClassLoader(),
                new Class<?>[]{WebSessionConfig.class}, (proxy, method, args) -> {
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return values.get(method.getName());
                });
        return new SessionCookies(config);
    }

    @Test
    void aSessionCookieHasTheConfiguredAttributesAndNoLifetime() {
        SessionCookies cookies = cookies(Map.of());
        assertEquals("beaker.session.id", cookies.name());
        assertEquals("beaker.session.id=v; Path=/; SameSite=Lax", cookies.issue("v"));
        assertEquals("beaker.session.id=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax", cookies.expire());
    }

    @Test
    void everyAttributeIsWrittenWhenConfigured() {
        SessionCookies cookies = cookies(Map.of("cookieName", "sid", "domain", Optional.of("example.org"), "path", "/app",
                "secure", true, "httponly", true, "samesite", "strict"));
        assertEquals("sid=v; Path=/app; Domain=example.org; Secure; HttpOnly; SameSite=Strict", cookies.issue("v"));
        assertTrue(cookies.expire().endsWith("; Path=/app; Domain=example.org; Secure; HttpOnly; SameSite=Strict"));
        assertEquals("sid=v; Path=/; SameSite=None", cookies(Map.of("cookieName", "sid", "samesite", "NONE")).issue("v"));
    }

    @Test
    void secondsGiveExpiresAndMaxAge() {
        Instant before = Instant.now();
        String header = cookies(Map.of("cookieExpires", " 3600 ")).issue("v");
        Instant after = Instant.now();
        assertTrue(header.startsWith("beaker.session.id=v; Expires="), header);
        assertTrue(header.endsWith("; Max-Age=3600; Path=/; SameSite=Lax"), header);
        String expires = header.substring(header.indexOf("Expires=") + 8, header.indexOf("; Max-Age"));
        Instant at = HTTP_DATE.parse(expires, Instant::from);
        assertTrue(!at.isBefore(before.plusSeconds(3600).minusSeconds(1)) && !at.isAfter(after.plusSeconds(3600)), expires);
        assertEquals("beaker.session.id=v; Expires=" + HTTP_DATE.format(HTTP_DATE.parse(expires, Instant::from))
                + "; Max-Age=0; Path=/; SameSite=Lax", cookies(Map.of("cookieExpires", "0")).issue("v")
                .replaceAll("Expires=[^;]*", "Expires=" + expires));
    }

    @Test
    void neverAndAnInstantAreFixedExpiries() {
        assertEquals("beaker.session.id=v; Expires=Tue, 19 Jan 2038 03:14:07 GMT; Path=/; SameSite=Lax",
                cookies(Map.of("cookieExpires", "NEVER")).issue("v"));
        assertEquals("beaker.session.id=v; Expires=Fri, 02 Jan 2026 03:04:05 GMT; Path=/; SameSite=Lax",
                cookies(Map.of("cookieExpires", "2026-01-02T03:04:05Z")).issue("v"));
        assertEquals("beaker.session.id=v; Path=/; SameSite=Lax", cookies(Map.of("cookieExpires", "Session")).issue("v"));
    }

    @Test
    void badConfigurationIsRefusedAtStartUp() {
        assertEquals("sessiond.web.samesite must be Strict, Lax or None, not 'sometimes'",
                assertThrows(ConfigurationException.class, () -> cookies(Map.of("samesite", "sometimes"))).getMessage());
        for (String expires : new String[]{"", "soon", "-5", "1h", "12a"}) {
            assertEquals("sessiond.web.cookie-expires must be session, never, a number of seconds or an RFC 3339 instant, not '"
                    + expires + "'", assertThrows(ConfigurationException.class, () -> cookies(Map.of("cookieExpires", expires))).getMessage());
        }
    }
}
