package io.sessiond.web;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.sessiond.testsupport.CookieSignatures;
import io.sessiond.testsupport.WebSessions;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store configured away from every default: data encrypted at rest, Beaker-compatible HMAC-SHA1 cookies,
 * and every cookie attribute set.
 */
@QuarkusTest
@TestProfile(ConfiguredWebSessionStoreTest.ConfiguredStore.class)
class ConfiguredWebSessionStoreTest {

    /** A fixed test key (32 bytes), so the stored bytes can be checked against it. */
    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    public static class ConfiguredStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("sessiond.web.encryption-key", KEY),
                    Map.entry("sessiond.web.signature", "hmac-sha1"),
                    Map.entry("sessiond.web.cookie-name", "app.sid"),
                    Map.entry("sessiond.web.cookie-expires", "3600"),
                    Map.entry("sessiond.web.path", "/app"),
                    Map.entry("sessiond.web.domain", "example.test"),
                    Map.entry("sessiond.web.secure", "true"),
                    Map.entry("sessiond.web.httponly", "false"),
                    Map.entry("sessiond.web.samesite", "strict"));
        }
    }

    private static final Pattern SET_COOKIE = Pattern.compile(
            "app\\.sid=([0-9a-f]{72}); Expires=([^;]+); Max-Age=3600; Path=/app; Domain=example\\.test; Secure; SameSite=Strict");

    @Inject
    EntityManager em;

    @Test
    void dataIsEncryptedAtRestAndReadBackInClear() {
        String id = WebSessions.createId("{\"user\":\"alice\",\"cart\":[\"book\"]}");
        byte[] first = QuarkusTransaction.requiringNew().call(() -> encrypted(id));

        assertNull(QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("SELECT data FROM web_sessions WHERE id = ?1").setParameter(1, id).getSingleResult()));
        assertFalse(new String(first, StandardCharsets.ISO_8859_1).contains("alice"), "the table holds no plaintext");
        assertEquals("{\"user\":\"alice\",\"cart\":[\"book\"]}",
                new String(new DataCipher(Optional.of(KEY)).decrypt(id, first), StandardCharsets.UTF_8),
                "AES-GCM under the configured key");
        given().when().get("/v1/web-sessions/" + id)
                .then().statusCode(200).body("data.user", equalTo("alice")).body("data.cart", contains("book"));

        given().header("If-Match", "\"1\"").body("{\"data\":{\"user\":\"alice\",\"cart\":[\"book\"]}}")
                .when().put("/v1/web-sessions/" + id).then().statusCode(200);
        byte[] second = QuarkusTransaction.requiringNew().call(() -> encrypted(id));
        assertFalse(Arrays.equals(Arrays.copyOf(first, 12), Arrays.copyOf(second, 12)), "a new nonce per write");
        given().when().post("/v1/web-sessions/" + id + "/regenerate")
                .then().statusCode(201).body("data.user", equalTo("alice"));
    }

    @Test
    void dataEncryptedWithAnotherKeyIsAClearErrorNeverGarbage() {
        String id = WebSessions.createId("{\"user\":\"alice\"}");
        byte[] otherKey = new byte[32];
        byte[] foreign = new DataCipher(Optional.of(Base64.getEncoder().encodeToString(otherKey)))
                .encrypt(id, "{\"user\":\"mallory\"}".getBytes(StandardCharsets.UTF_8));
        QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("UPDATE web_sessions SET encrypted_data = ?2 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, foreign).executeUpdate());

        given().when().get("/v1/web-sessions/" + id)
                .then().statusCode(500)
                .body("errors[0].detail", equalTo("The data of web session '" + id + "' cannot be decrypted: it was "
                        + "encrypted with another sessiond.web.encryption-key, or it was altered"));
        // The admin API decrypts nothing: it still shows the session, and the size of its data.
        given().when().get("/v1/admin/web-sessions/" + id)
                .then().statusCode(200)
                .body("data.attributes.encrypted", equalTo(true))
                .body("data.attributes.data_size", equalTo("{\"user\":\"mallory\"}".length()));
    }

    @Test
    void cookiesCarryEveryConfiguredAttributeAndBeakerCompatibleSignatures() {
        ExtractableResponse<Response> created = WebSessions.create("{}");
        String id = created.path("id");
        Matcher header = SET_COOKIE.matcher(created.header("Set-Cookie"));
        assertTrue(header.matches(), created.header("Set-Cookie"));
        assertEquals(created.path("cookie"), header.group(1));
        assertEquals(hmacSha1("test-secret-newest-not-a-secret", id) + id, header.group(1),
                "Beaker's SignedCookie: 40 hex digits of HMAC-SHA1, then the id");
        Instant expires = ZonedDateTime.parse(header.group(2),
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC)).toInstant();
        assertTrue(Duration.between(Instant.now().plusSeconds(3600), expires).abs().getSeconds() < 60, expires.toString());

        given().cookie("app.sid", header.group(1))
                .when().get("/v1/web-sessions/current").then().statusCode(200).body("id", equalTo(id));
        given().when().delete("/v1/web-sessions/" + id)
                .then().statusCode(204)
                .header("Set-Cookie", equalTo("app.sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; "
                        + "Path=/app; Domain=example.test; Secure; SameSite=Strict"));
    }

    private byte[] encrypted(String id) {
        return (byte[]) em.createNativeQuery("SELECT encrypted_data FROM web_sessions WHERE id = ?1")
                .setParameter(1, id).getSingleResult();
    }

    private static String hmacSha1(String secret, String id) {
        return CookieSignatures.hmacHex("HmacSHA1", secret, id);
    }
}
