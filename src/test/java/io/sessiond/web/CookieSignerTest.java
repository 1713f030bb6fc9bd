package io.sessiond.web;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cookie signing and verification, without the application: Beaker's layout, rotation, tampering. */
class CookieSignerTest {

    private static final String ID = "0123456789abcdef0123456789abcdef";
    private static final String NEW = "newest-secret-0123456789";
    private static final String OLD = "older-secret-0123456789";

    /**
     * Reference values from Python's hmac module, which Beaker's SignedCookie uses:
     * {@code hmac.new(b'beaker-compatible-secret', b'0123456789abcdef0123456789abcdef', hashlib.sha1).hexdigest()}
     * and the same with {@code hashlib.sha256}.
     */
    @Test
    void signaturesMatchBeakersSignedCookieLayout() {
        assertEquals("c1128fb7da0beb23e2220dd3bf0275ed3d7d0670" + ID,
                signer(CookieSigner.Algorithm.HMAC_SHA1, "beaker-compatible-secret").sign(ID));
        assertEquals("c46dd587ecd848cd1019d6690bec49f013980e71430582934052f7e2a3c70a04" + ID,
                signer(CookieSigner.Algorithm.HMAC_SHA256, "beaker-compatible-secret").sign(ID));
    }

    @Test
    void aSignedIdVerifiesAlsoInQuotes() {
        CookieSigner signer = signer(CookieSigner.Algorithm.HMAC_SHA256, NEW);
        String cookie = signer.sign(ID);
        assertEquals(Optional.of(ID), signer.verify(cookie));
        assertEquals(Optional.of(ID), signer.verify("\"" + cookie + "\""));
    }

    @Test
    void rotationSignsWithTheNewestAndAcceptsEverySecret() {
        CookieSigner rotated = signer(CookieSigner.Algorithm.HMAC_SHA256, NEW, OLD);
        String oldCookie = signer(CookieSigner.Algorithm.HMAC_SHA256, OLD).sign(ID);

        assertEquals(signer(CookieSigner.Algorithm.HMAC_SHA256, NEW).sign(ID), rotated.sign(ID));
        assertEquals(Optional.of(ID), rotated.verify(oldCookie));
        assertEquals(Optional.empty(), signer(CookieSigner.Algorithm.HMAC_SHA256, NEW).verify(oldCookie),
                "once the old secret is dropped, its cookies are no longer accepted");
    }

    @Test
    void tamperedValuesAreRejected() {
        CookieSigner signer = signer(CookieSigner.Algorithm.HMAC_SHA1, NEW);
        String cookie = signer.sign(ID);
        String otherId = "fedcba9876543210fedcba9876543210";
        for (String forged : new String[]{
                cookie.substring(0, 40) + otherId,
                (cookie.charAt(0) == '0' ? '1' : '0') + cookie.substring(1),
                cookie.substring(0, cookie.length() - 1) + (cookie.endsWith("0") ? "1" : "0"),
                ID,
                cookie + "0",
                cookie.substring(0, 40) + ID.toUpperCase(),
                signer(CookieSigner.Algorithm.HMAC_SHA256, NEW).sign(ID),
                "",
                null}) {
            // Every case is a real forgery: none may happen to equal the genuine cookie and be skipped.
            assertNotEquals(cookie, forged);
            assertEquals(Optional.empty(), signer.verify(forged), String.valueOf(forged));
        }
    }

    /**
     * Verification compares through {@link CookieSigner#CONSTANT_TIME} ({@code MessageDigest.isEqual}), and
     * tries every secret even after one matched, so neither how much of a signature is right nor which
     * secret signed it changes the work done.
     */
    @Test
    void verificationComparesInConstantTimeAgainstEverySecret() {
        List<String> compared = new ArrayList<>();
        CookieSigner.Comparison recording = (expected, given) -> {
            compared.add(new String(expected) + "/" + new String(given));
            return CookieSigner.CONSTANT_TIME.equal(expected, given);
        };
        CookieSigner signer = new CookieSigner(CookieSigner.Algorithm.HMAC_SHA256, List.of(NEW, OLD, "third-secret-0123456789"),
                recording);

        assertEquals(Optional.of(ID), signer.verify(signer.sign(ID)));
        assertEquals(3, compared.size(), "the newest secret matched, and the other two were still tried");

        compared.clear();
        String forged = "f".repeat(64) + ID;
        assertEquals(Optional.empty(), signer.verify(forged));
        assertEquals(3, compared.size());
        assertTrue(compared.stream().allMatch(pair -> pair.endsWith("/" + "f".repeat(64))), compared.toString());

    }

    @Test
    void withoutASecretTheApplicationDoesNotStart() {
        ConfigurationException none = assertThrows(ConfigurationException.class,
                () -> signer(CookieSigner.Algorithm.HMAC_SHA256));
        assertEquals(CookieSigner.MISSING_SECRET, none.getMessage());
        // A blank entry is no secret at all, whatever its length.
        ConfigurationException blank = assertThrows(ConfigurationException.class,
                () -> signer(CookieSigner.Algorithm.HMAC_SHA256, " ".repeat(CookieSigner.MIN_SECRET_LENGTH)));
        assertEquals(CookieSigner.MISSING_SECRET, blank.getMessage());
        ConfigurationException shortOne = assertThrows(ConfigurationException.class,
                () -> signer(CookieSigner.Algorithm.HMAC_SHA256, NEW, "short"));
        assertEquals("every sessiond.web.signing-secrets entry must be at least 16 characters long", shortOne.getMessage());
        assertThrows(ConfigurationException.class, () -> signer(CookieSigner.Algorithm.HMAC_SHA256, "0123456789abcde"));
        CookieSigner sixteen = signer(CookieSigner.Algorithm.HMAC_SHA256, "0123456789abcdef");
        assertEquals(Optional.of(ID), sixteen.verify(sixteen.sign(ID)), "exactly 16 characters is long enough");
    }

    private static CookieSigner signer(CookieSigner.Algorithm algorithm, String... secrets) {
        return new CookieSigner(algorithm, List.of(secrets), CookieSigner.CONSTANT_TIME);
    }
}
