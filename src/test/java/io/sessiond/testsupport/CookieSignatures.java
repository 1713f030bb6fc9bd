package io.sessiond.testsupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Web-session cookie signatures computed independently of the server's signer, to check what it issues. */
public final class CookieSignatures {

    private CookieSignatures() {
    }

    /** The hex HMAC of {@code id} with {@code secret}; {@code algorithm} is a JCA name such as {@code HmacSHA256}. */
    public static String hmacHex(String algorithm, String secret, String id) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
