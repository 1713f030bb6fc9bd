package io.sessiond.web;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** AES-GCM encryption of session data, without the application. */
class DataCipherTest {

    private static final String ID = "0123456789abcdef0123456789abcdef";
    private static final byte[] DATA = "{\"user\":\"alice\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripWithAFreshNoncePerWrite() {
        DataCipher cipher = cipher(32);
        byte[] first = cipher.encrypt(ID, DATA);
        byte[] second = cipher.encrypt(ID, DATA);

        assertArrayEquals(DATA, cipher.decrypt(ID, first));
        assertArrayEquals(DATA, cipher.decrypt(ID, second));
        assertFalse(Arrays.equals(Arrays.copyOf(first, 12), Arrays.copyOf(second, 12)), "each write has its own nonce");
        assertEquals(12 + DATA.length + 16, first.length, "nonce || ciphertext || tag");
        assertFalse(new String(first, StandardCharsets.ISO_8859_1).contains("alice"));
    }

    @Test
    void aWrongKeyIsAClearErrorNeverGarbage() {
        byte[] sealed = cipher(32).encrypt(ID, DATA);

        UnreadableDataException wrongKey = assertThrows(UnreadableDataException.class, () -> cipher(32).decrypt(ID, sealed));
        assertEquals("The data of web session '" + ID + "' cannot be decrypted: it was encrypted with another "
                + "sessiond.web.encryption-key, or it was altered", wrongKey.getMessage());

        UnreadableDataException noKey = assertThrows(UnreadableDataException.class,
                () -> new DataCipher(Optional.empty()).decrypt(ID, sealed));
        assertEquals("The data of web session '" + ID + "' is stored encrypted, but no sessiond.web.encryption-key "
                + "is configured", noKey.getMessage());
    }

    @Test
    void alteredBytesOrAnotherSessionsRowDoNotDecrypt() {
        DataCipher cipher = cipher(16);
        byte[] sealed = cipher.encrypt(ID, DATA);
        byte[] altered = sealed.clone();
        altered[20] ^= 1;

        assertThrows(UnreadableDataException.class, () -> cipher.decrypt(ID, altered));
        assertThrows(UnreadableDataException.class, () -> cipher.decrypt("fedcba9876543210fedcba9876543210", sealed));
        assertThrows(UnreadableDataException.class, () -> cipher.decrypt(ID, Arrays.copyOf(sealed, 20)));
    }

    @Test
    void keysMustBeAesSized() {
        assertEquals("sessiond.web.encryption-key must be the base64 of 16, 24 or 32 bytes (AES-128, -192 or -256), "
                        + "not 20 bytes; e.g. openssl rand -base64 32",
                assertThrows(ConfigurationException.class, () -> cipher(20)).getMessage());
        assertThrows(ConfigurationException.class, () -> new DataCipher(Optional.of("not base64!")));
    }

    private static DataCipher cipher(int keyBytes) {
        byte[] key = new byte[keyBytes];
        new SecureRandom().nextBytes(key);
        return new DataCipher(Optional.of(Base64.getEncoder().encodeToString(key)));
    }
}
