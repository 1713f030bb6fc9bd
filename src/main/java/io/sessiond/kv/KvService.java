package io.sessiond.kv;

import io.sessiond.RejectedException;
import io.sessiond.go.GoDuration;
import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.index.WriteStamp;
import io.sessiond.metrics.KvWrite;
import io.sessiond.metrics.SessiondMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The key/value store and its session locks (Consul's rules). Every write starts by taking the change
 * index, which serialises writers of the store; then the rows it changes are locked with
 * {@code SELECT ... FOR UPDATE} or written by one atomic statement, never read and written back from Java.
 * A write that changes nothing (a refused acquire, a failed CAS, deleting a missing key, setting the value a
 * key already has) rolls back, so it moves no index and wakes no blocking query ({@link ChangeIndex#nothingChanged}).
 */
@ApplicationScoped
public class KvService {

    /** Consul caps the lock-delay it enforces at 60 seconds, whatever a session asked for. */
    public static final long MAX_LOCK_DELAY_NS = 60_000_000_000L;

    /**
     * What invalidating sessions does to their locks, as data-modifying CTEs for the statement that
     * removes them: it must first define {@code ended(id, behavior, lock_delay_ns)}, the sessions it deletes
     * (a {@code DELETE ... RETURNING}), and bind {@code :kvIndex}, the index its transaction took for this
     * store. Keys of {@code release} sessions are unlocked and keep their values, keys of {@code delete}
     * sessions are deleted, and each key gets the session's lock-delay (capped at 60 s) during which nobody
     * may acquire it. One statement for any number of sessions: each key is found through the
     * {@code kv_entries_session} index, nothing is done per session outside PostgreSQL.
     */
    public static final String UNLOCK_ENDED_SESSIONS_CTES = """
            released AS (UPDATE kv_entries e SET session = NULL, modify_index = :kvIndex FROM ended
              WHERE e.session = ended.id AND ended.behavior = 'release' RETURNING e.key, ended.lock_delay_ns),
            deleted AS (DELETE FROM kv_entries e USING ended
              WHERE e.session = ended.id AND ended.behavior = 'delete' RETURNING e.key, ended.lock_delay_ns),
            delayed AS (INSERT INTO kv_lock_delays (key, until)
              SELECT key, clock_timestamp() + make_interval(secs => least(lock_delay_ns, %d) / 1e9)
              FROM (SELECT * FROM released UNION ALL SELECT * FROM deleted) AS unlocked
              WHERE lock_delay_ns > 0
              ON CONFLICT (key) DO UPDATE SET until = greatest(kv_lock_delays.until, excluded.until))""".formatted(MAX_LOCK_DELAY_NS);

    /** Writes value and flags; a key that already has them updates no row. */
    private static final String UPSERT = """
            INSERT INTO kv_entries AS e (key, value, flags, lock_index, create_index, modify_index)
            VALUES (?1, CAST(?2 AS bytea), ?3, 0, ?4, ?4)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, flags = excluded.flags, modify_index = excluded.modify_index
            WHERE e.flags <> excluded.flags OR e.value IS DISTINCT FROM excluded.value""";
    /** The first statement of a read that must see one snapshot (see {@link #oneSnapshot}). */
    private static final String ONE_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    private static final String LOCK_MODIFY_INDEX = "SELECT modify_index FROM kv_entries WHERE key = ?1 FOR UPDATE";
    private static final String IN_LOCK_DELAY = "SELECT 1 FROM kv_lock_delays WHERE key = ?1 AND until > clock_timestamp()";
    /**
     * Key-share locks session ?1 (any case), so that it is not ended before the acquire commits. A stored
     * session is alive, its deadline passed or not, until the expiry ends it (see SessionExpiry), which
     * releases what it holds in the same write; so the acquire needs no clock.
     */
    private static final String LIVE_SESSION_FOR_SHARE = "SELECT id FROM sessions WHERE id::text = lower(?1) FOR KEY SHARE";
    private static final String LOCK_HOLDER = "SELECT session FROM kv_entries WHERE key = ?1 FOR UPDATE";
    /** Takes the lock for session ?4 and writes value and flags; a write that changes nothing updates no row. */
    private static final String UPSERT_ACQUIRED = """
            INSERT INTO kv_entries AS e (key, value, flags, lock_index, session, create_index, modify_index)
            VALUES (?1, CAST(?2 AS bytea), ?3, 1, ?4, ?5, ?5)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, flags = excluded.flags, session = excluded.session,
                lock_index = e.lock_index + CASE WHEN e.session IS NULL THEN 1 ELSE 0 END,
                modify_index = excluded.modify_index
            WHERE e.session IS DISTINCT FROM excluded.session OR e.flags <> excluded.flags
               OR e.value IS DISTINCT FROM excluded.value""";
    /** Gives up the lock only if session ?5 (any case, as Consul's IDs) holds it. */
    private static final String RELEASE = """
            UPDATE kv_entries SET session = NULL, value = CAST(?2 AS bytea), flags = ?3, modify_index = ?4
            WHERE key = ?1 AND session::text = lower(?5)""";
    private static final String DELETE_KEY = "DELETE FROM kv_entries WHERE key = ?1";
    private static final String DELETE_TREE = "DELETE FROM kv_entries WHERE starts_with(key, ?1)";
    private static final String PURGE_EXPIRED_LOCK_DELAYS = "DELETE FROM kv_lock_delays WHERE until <= clock_timestamp()";

    private final EntityManager em;
    private final ChangeIndex changeIndex;
    private final SessiondMetrics metrics;

    public KvService(EntityManager em, ChangeIndex changeIndex, SessiondMetrics metrics) {
        this.em = em;
        this.changeIndex = changeIndex;
        this.metrics = metrics;
    }

    /** The change index of the store, for {@code X-Consul-Index} of reads that are not one found key. */
    public long index() {
        return changeIndex.current(Table.KVS);
    }

    /** What one read of the store saw: its change index and the result, from one snapshot. */
    public record Snapshot<T>(long index, T result) {
    }

    /** The key, or none, with the store's index from the same snapshot. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Snapshot<Optional<KvEntry>> getWithIndex(String key) {
        oneSnapshot();
        return new Snapshot<>(index(), get(key));
    }

    /** {@link #list} with the store's index from the same snapshot. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Snapshot<List<KvEntry>> listWithIndex(String prefix) {
        oneSnapshot();
        return new Snapshot<>(index(), list(prefix));
    }

    /** {@link #keys} with the store's index from the same snapshot. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Snapshot<List<String>> keysWithIndex(String prefix, String separator) {
        oneSnapshot();
        return new Snapshot<>(index(), keys(prefix, separator));
    }

    /**
     * Makes the caller's new transaction read one snapshot: the index and the rows then show one state, so one
     * X-Consul-Index is one state (in READ COMMITTED each statement has its own, and a write committed between
     * the two would show under the index before it).
     */
    private void oneSnapshot() {
        em.createNativeQuery(ONE_SNAPSHOT).executeUpdate();
    }

    public Optional<KvEntry> get(String key) {
        return Optional.ofNullable(KvEntry.findById(key));
    }

    /** Every entry whose key starts with {@code prefix}, in byte order of keys. */
    public List<KvEntry> list(String prefix) {
        return KvEntry.list("substring(key, 1, length(?1)) = ?1 order by key", prefix);
    }

    /**
     * Keys under {@code prefix}; with a separator, each key is cut just after the first separator that
     * follows the prefix, and duplicates are dropped ({@code /web/} + {@code /} lists {@code /web/sub/} once).
     */
    public List<String> keys(String prefix, String separator) {
        List<String> keys = KvEntry.find("select key from KvEntry where substring(key, 1, length(?1)) = ?1 "
                + "order by key", prefix).project(String.class).list();
        if (separator == null || separator.isEmpty()) {
            return keys;
        }
        LinkedHashSet<String> cut = new LinkedHashSet<>();
        for (String key : keys) {
            int at = key.indexOf(separator, prefix.length());
            cut.add(at < 0 ? key : key.substring(0, at + separator.length()));
        }
        return new ArrayList<>(cut);
    }

    /** Sets value and flags; a lock on the key is advisory and stays as it is. */
    @Transactional
    @KvWrite("set")
    public boolean put(String key, byte[] value, long flags) {
        WriteStamp stamp = changeIndex.advance(Table.KVS);
        if (!upsert(key, value, flags, stamp)) {
            changeIndex.nothingChanged();
        }
        return true;
    }

    /** Check-and-set: index 0 writes only a new key, any other only a key whose ModifyIndex it is. */
    @Transactional
    @KvWrite("cas")
    public boolean cas(String key, byte[] value, long flags, long expectedIndex) {
        WriteStamp stamp = changeIndex.advance(Table.KVS);
        Optional<Long> current = lockedModifyIndex(key);
        boolean matches = expectedIndex == 0 ? current.isEmpty() : current.filter(i -> i == expectedIndex).isPresent();
        if (!matches) {
            return changeIndex.nothingChanged();
        }
        if (!upsert(key, value, flags, stamp)) {
            changeIndex.nothingChanged();
        }
        return true;
    }

    /**
     * Takes the lock on {@code key} for {@code sessionId} and writes value and flags. Refused (false) while
     * the key's lock-delay runs or another session holds it; an error when the session is not alive. The
     * session row is key-share locked, so it cannot be invalidated before this commits.
     */
    @Transactional
    @KvWrite("acquire")
    public boolean acquire(String key, byte[] value, long flags, String sessionId) {
        WriteStamp stamp = changeIndex.advance(Table.KVS);
        if (lockDelayed(key)) {
            metrics.lock(SessiondMetrics.LockOutcome.LOCK_DELAY);
            return changeIndex.nothingChanged();
        }
        UUID session = liveSessionForShare(sessionId);
        List<?> holder = em.createNativeQuery(LOCK_HOLDER)
                .setParameter(1, key).getResultList();
        if (!holder.isEmpty() && holder.get(0) != null && !session.equals(holder.get(0))) {
            metrics.lock(SessiondMetrics.LockOutcome.LOST);
            return changeIndex.nothingChanged();
        }
        // The holder acquiring again with the same value and flags changes nothing: no row is updated.
        int written = em.createNativeQuery(UPSERT_ACQUIRED)
                .setParameter(1, key)
                .setParameter(2, emptyAsNull(value))
                .setParameter(3, flags)
                .setParameter(4, session)
                .setParameter(5, stamp.index())
                .executeUpdate();
        if (written == 0) {
            changeIndex.nothingChanged();
        }
        metrics.lock(SessiondMetrics.LockOutcome.WON);
        return true;
    }

    /** Gives up {@code sessionId}'s lock on {@code key} and writes value and flags; false if it holds none. */
    @Transactional
    @KvWrite("release")
    public boolean release(String key, byte[] value, long flags, String sessionId) {
        if (sessionId.isEmpty()) {
            throw RejectedException.invalid("raft apply failed: missing session");
        }
        WriteStamp stamp = changeIndex.advance(Table.KVS);
        int released = em.createNativeQuery(RELEASE)
                .setParameter(1, key)
                .setParameter(2, emptyAsNull(value))
                .setParameter(3, flags)
                .setParameter(4, stamp.index())
                .setParameter(5, sessionId)
                .executeUpdate();
        return released == 1 || changeIndex.nothingChanged();
    }

    /** Deletes {@code key}; deleting a missing or locked key is allowed. */
    @Transactional
    @KvWrite("delete")
    public boolean delete(String key) {
        changeIndex.advance(Table.KVS);
        if (em.createNativeQuery(DELETE_KEY).setParameter(1, key).executeUpdate() == 0) {
            changeIndex.nothingChanged();
        }
        return true;
    }

    /** Deletes every key under {@code prefix} (all keys for the empty prefix). */
    @Transactional
    @KvWrite("delete-tree")
    public boolean deleteTree(String prefix) {
        changeIndex.advance(Table.KVS);
        if (em.createNativeQuery(DELETE_TREE).setParameter(1, prefix).executeUpdate() == 0) {
            changeIndex.nothingChanged();
        }
        return true;
    }

    /** Deletes {@code key} only if its ModifyIndex is {@code expectedIndex}; a missing key counts as done. */
    @Transactional
    @KvWrite("delete-cas")
    public boolean deleteCas(String key, long expectedIndex) {
        changeIndex.advance(Table.KVS);
        Optional<Long> current = lockedModifyIndex(key);
        if (current.isEmpty()) {
            changeIndex.nothingChanged();
            return true; // Consul's CAS delete of a missing key succeeds
        }
        if (current.get() != expectedIndex) {
            return changeIndex.nothingChanged();
        }
        em.createNativeQuery(DELETE_KEY).setParameter(1, key).executeUpdate();
        return true;
    }

    /** Forgets lock-delays that have run out; they no longer refuse anything. */
    @Transactional
    public int purgeExpiredLockDelays() {
        return em.createNativeQuery(PURGE_EXPIRED_LOCK_DELAYS).executeUpdate();
    }

    /** Writes value and flags; false when the key already had them (no row is updated then). */
    private boolean upsert(String key, byte[] value, long flags, WriteStamp stamp) {
        return em.createNativeQuery(UPSERT)
                .setParameter(1, key)
                .setParameter(2, emptyAsNull(value))
                .setParameter(3, flags)
                .setParameter(4, stamp.index())
                .executeUpdate() == 1;
    }

    private Optional<Long> lockedModifyIndex(String key) {
        List<?> rows = em.createNativeQuery(LOCK_MODIFY_INDEX)
                .setParameter(1, key).getResultList();
        return rows.stream().findFirst().map(index -> ((Number) index).longValue());
    }

    private boolean lockDelayed(String key) {
        return !em.createNativeQuery(IN_LOCK_DELAY)
                .setParameter(1, key).getResultList().isEmpty();
    }

    private UUID liveSessionForShare(String sessionId) {
        if (sessionId.isEmpty()) {
            throw RejectedException.invalid("raft apply failed: missing session");
        }
        List<?> found = em.createNativeQuery(LIVE_SESSION_FOR_SHARE)
                .setParameter(1, sessionId).getResultList();
        if (found.isEmpty()) {
            throw RejectedException.invalid("raft apply failed: invalid session " + GoDuration.quote(sessionId));
        }
        return (UUID) found.get(0);
    }

    private static byte[] emptyAsNull(byte[] value) {
        return value == null || value.length == 0 ? null : value;
    }
}
