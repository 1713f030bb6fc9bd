package io.sessiond.kv;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Formula;

import java.time.Instant;
import java.util.UUID;

/** A key with its value, flags and, while it is locked, the session that holds it. */
@Entity
@Table(name = "kv_entries")
public class KvEntry extends PanacheEntityBase {

    @Id
    public String key;

    /** Null for an empty value. */
    public byte[] value;

    /** Unsigned 64-bit flags, stored as the same bits in a signed long. */
    public long flags;

    /** How many times a session newly acquired this key. */
    public long lockIndex;

    /** The session holding the lock; null when unlocked. */
    public UUID session;

    public long createIndex;

    public long modifyIndex;

    /**
     * Until when nobody may acquire the key (the lock-delay of the session that last held it), while that is
     * still ahead; null otherwise. Read in the same statement as the entry, from the lock-delay table's key.
     */
    @Formula("(SELECT d.until FROM kv_lock_delays d WHERE d.key = key AND d.until > clock_timestamp())")
    public Instant lockDelayUntil;
}
