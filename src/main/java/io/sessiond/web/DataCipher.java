package io.sessiond.web;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Encryption of web session data at rest: AES-GCM with a random 12-byte nonce per write, stored as
 * nonce || ciphertext || 16-byte tag. The session id is authenticated with the data (associated data), so a
 * ciphertext copied onto another session's row does not decrypt there. GCM is authenticated, so a wrong key
 * or altered bytes fail loudly ({@link UnreadableDataException}) instead of yielding garbage, which is the
 * trap Beaker's unauthenticated CTR/CBC modes leave open.
 */
@Startup(WebSessionConfig.CHECKED_AT_STARTUP)
@ApplicationScoped
public class DataCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final Optional<SecretKey> key;
    /** Per instance, made at run time: a static one would be created by the native build and its seed baked in. */
    private final SecureRandom random = new SecureRandom();

    @Inject
    public DataCipher(WebSessionConfig config) {
        this(config.encryptionKey().filter(value -> !value.isBlank()));
    }

    /** {@code base64Key} empty: data is stored in clear. */
    DataCipher(Optional<String> base64Key) {
        this.key = base64Key.map(DataCipher::decodeKey);
    }

    public boolean encrypts() {
        return key.isPresent();
    }

    public byte[] encrypt(String sessionId, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, requiredKey(sessionId), nonce, sessionId, plaintext, 0, plaintext.length);
        return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    }

    public byte[] decrypt(String sessionId, byte[] stored) {
        SecretKey secretKey = requiredKey(sessionId);
        if (stored.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadableDataException("The data of web session '" + sessionId + "' is damaged: "
                    + stored.length + " bytes is too short for AES-GCM");
        }
        byte[] nonce = Arrays.copyOf(stored, NONCE_BYTES);
        return run(Cipher.DECRYPT_MODE, secretKey, nonce, sessionId, stored, NONCE_BYTES, stored.length - NONCE_BYTES);
    }

    /** The length of the data sealed in {@code stored}, known without the key: GCM adds a nonce and a tag. */
    static int plaintextLength(byte[] stored) {
        return Math.max(0, stored.length - NONCE_BYTES - TAG_BITS / 8);
    }

    private SecretKey requiredKey(String sessionId) {
        return key.orElseThrow(() -> new UnreadableDataException("The data of web session '" + sessionId
                + "' is stored encrypted, but no sessiond.web.encryption-key is configured"));
    }

    private static byte[] run(int mode, SecretKey key, byte[] nonce, String sessionId, byte[] input, int offset, int length) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(sessionId.getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input, offset, length);
        } catch (AEADBadTagException e) {
            throw new UnreadableDataException("The data of web session '" + sessionId + "' cannot be decrypted: "
                    + "it was encrypted with another sessiond.web.encryption-key, or it was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " failed", e);
        }
    }

    private static SecretKey decodeKey(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sessiond.web.encryption-key is not valid base64: " + e.getMessage());
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw new ConfigurationException("sessiond.web.encryption-key must be the base64 of 16, 24 or 32 bytes "
                    + "(AES-128, -192 or -256), not " + bytes.length + " bytes; e.g. openssl rand -base64 32");
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
