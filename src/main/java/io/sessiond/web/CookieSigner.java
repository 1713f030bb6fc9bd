package io.sessiond.web;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Beaker's {@code SignedCookie} layout: the cookie value is the lowercase hex HMAC of the session id,
 * immediately followed by the id. New cookies are signed with the newest secret; a cookie is accepted when
 * any configured secret produced its signature. Created at start-up, so that a missing secret stops the
 * application at once instead of at the first login.
 */
@Startup(WebSessionConfig.CHECKED_AT_STARTUP)
@ApplicationScoped
public class CookieSigner {

    public enum Algorithm {
        HMAC_SHA256("HmacSHA256", 64),
        /** Beaker-compatible: a cookie Beaker signed with the same secret verifies here, and vice versa. */
        HMAC_SHA1("HmacSHA1", 40);

        private final String jcaName;
        private final int hexLength;

        Algorithm(String jcaName, int hexLength) {
            this.jcaName = jcaName;
            this.hexLength = hexLength;
        }
    }

    /** How two signatures are compared; see {@link #CONSTANT_TIME}. */
    @FunctionalInterface
    interface Comparison {
        boolean equal(byte[] expected, byte[] given);
    }

    /**
     * Compares every byte whatever the first difference, so the time taken tells an attacker nothing about
     * how much of a forged signature is right.
     */
    static final Comparison CONSTANT_TIME = MessageDigest::isEqual;

    static final String MISSING_SECRET = "sessiond needs a secret to sign web session cookies: set "
            + "SESSIOND_WEB_SIGNING_SECRETS (sessiond.web.signing-secrets; comma-separated, newest first, "
            + "at least 16 characters each)";

    static final int MIN_SECRET_LENGTH = 16;

    private static final HexFormat HEX = HexFormat.of();

    private final Algorithm algorithm;
    private final List<SecretKeySpec> keys;
    private final Comparison comparison;

    @Inject
    public CookieSigner(WebSessionConfig config) {
        this(config.signature(), config.signingSecrets().orElse(List.of()), CONSTANT_TIME);
    }

    CookieSigner(Algorithm algorithm, List<String> secrets, Comparison comparison) {
        List<String> configured = secrets.stream().filter(secret -> !secret.isBlank()).toList();
        if (configured.isEmpty()) {
            throw new ConfigurationException(MISSING_SECRET);
        }
        if (configured.stream().anyMatch(secret -> secret.length() < MIN_SECRET_LENGTH)) {
            throw new ConfigurationException("every sessiond.web.signing-secrets entry must be at least "
                    + MIN_SECRET_LENGTH + " characters long");
        }
        this.algorithm = algorithm;
        this.keys = configured.stream()
                .map(secret -> new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm.jcaName))
                .toList();
        this.comparison = comparison;
    }

    /** The cookie value for {@code id}, signed with the newest secret. */
    public String sign(String id) {
        return signature(keys.get(0), id) + id;
    }

    /**
     * The session id a cookie value carries, if any configured secret signed it. Surrounding double quotes
     * are ignored (browsers and frameworks add them). Every secret is tried, even after a match, so that the
     * time taken does not reveal which secret (or whether the newest one) signed the cookie.
     */
    public Optional<String> verify(String cookieValue) {
        String value = unquoted(cookieValue);
        if (value.length() != algorithm.hexLength + WebSession.ID_LENGTH) {
            return Optional.empty();
        }
        String id = value.substring(algorithm.hexLength);
        if (!WebSession.isWellFormedId(id)) {
            return Optional.empty();
        }
        byte[] given = value.substring(0, algorithm.hexLength).getBytes(StandardCharsets.US_ASCII);
        boolean signed = false;
        for (SecretKeySpec key : keys) {
            signed |= comparison.equal(signature(key, id).getBytes(StandardCharsets.US_ASCII), given);
        }
        return signed ? Optional.of(id) : Optional.empty();
    }

    private String signature(SecretKeySpec key, String id) {
        try {
            // Mac instances are not thread-safe; one per signature costs microseconds.
            Mac mac = Mac.getInstance(algorithm.jcaName);
            mac.init(key);
            return HEX.formatHex(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jcaName + " is not available in this JVM", e);
        }
    }

    private static String unquoted(String value) {
        if (value == null) {
            return "";
        }
        String trimmed = value.strip();
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed;
    }
}
