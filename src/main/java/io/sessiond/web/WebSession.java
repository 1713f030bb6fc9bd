package io.sessiond.web;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A web session: the data of one browser's visit, found through the signed id in its cookie, gone once
 * idle past the store's timeout. A row past {@code expiresAt} is gone for every reader: the first request
 * that finds it deletes it, and the sweeper removes those nobody asks for.
 */
@Entity
@Table(name = "web_sessions")
public class WebSession extends PanacheEntityBase {

    /** 128 random bits as lowercase hex. */
    static final int ID_LENGTH = 32;

    /** HQL condition that keeps only sessions that have not timed out, judged by the database's clock. */
    static final String ALIVE = "(expiresAt is null or expiresAt > instant)";

    private static final Pattern ID = Pattern.compile("[0-9a-f]{" + ID_LENGTH + "}");

    @Id
    public String id;

    /** The data as JSON text when stored in clear; null when encrypted. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String data;

    /** The data encrypted by {@link DataCipher}; null when stored in clear. */
    public byte[] encryptedData;

    public long version;

    public Instant createdAt;

    public Instant accessedAt;

    public Instant lastAccessedAt;

    public Instant expiresAt;

    public UUID lockToken;

    public Instant lockExpiresAt;

    /** {@code random} is the caller's: a static one would be created by the native build, its seed baked in. */
    static String newId(SecureRandom random) {
        byte[] bits = new byte[ID_LENGTH / 2];
        random.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    static boolean isWellFormedId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    boolean isAliveAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    boolean isLockedAt(Instant now) {
        return lockToken != null && lockExpiresAt.isAfter(now);
    }
}
