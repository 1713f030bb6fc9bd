package io.sessiond.session;

import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.index.WriteStamp;
import io.sessiond.kv.KvService;
import io.sessiond.metrics.SessiondMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The one way a session ends, whatever the cause (destroy, expiry, a check or node going away): in the
 * caller's transaction, its row is deleted and its keys released or deleted by one statement. Callers lock
 * the sessions they end with the locking reads here, after taking the change index for
 * {@link #INVALIDATION_TABLES}.
 */
@ApplicationScoped
public class SessionInvalidation {

    /** Why a session ended; logged, and later shown to operators. */
    public enum EndReason {
        /** Counted by who asked, client or operator (see {@link SessionWrites#destroy(String, SessiondMetrics.Cause)}). */
        DESTROYED(null),
        EXPIRED(SessiondMetrics.Cause.TTL),
        CHECK_CRITICAL(SessiondMetrics.Cause.CHECK),
        CHECK_DEREGISTERED(SessiondMetrics.Cause.CHECK),
        NODE_DEREGISTERED(SessiondMetrics.Cause.NODE);

        private final SessiondMetrics.Cause cause;

        EndReason(SessiondMetrics.Cause cause) {
            this.cause = cause;
        }

        /** The metrics' cause; null for destroys, which are counted where the cause is known. */
        SessiondMetrics.Cause cause() {
            return cause;
        }
    }

    /** What invalidating a session changes: its keys and the sessions table. */
    public static final Table[] INVALIDATION_TABLES = {Table.KVS, Table.SESSIONS};

    private static final Logger LOG = Logger.getLogger(SessionInvalidation.class);

    /** Ends the sessions of :ids, which the caller has locked. */
    private static final String END_BY_ID = ending("id = ANY(:ids)");

    /**
     * Ends those of the IDs ? that are stored, row-locked first in ID order (as every writer of several
     * sessions locks them) by the init plan; for plain JDBC, sent in the round trip that takes the change
     * index, hence the index this write took rather than a bound one.
     */
    private static final String END_STORED_OF = ending("id = ANY(ARRAY(SELECT id FROM sessions WHERE id = ANY(?) ORDER BY id FOR UPDATE))")
            .replace(":kvIndex", ChangeIndex.THIS_WRITES_INDEX);

    /** Locks the sessions on ?1 bound to any of the checks ?2, in ID order. */
    private static final String LOCK_BOUND_TO = """
            SELECT id FROM sessions WHERE node = ?1 AND (checks && CAST(?2 AS text[])
            OR node_checks && CAST(?2 AS text[]) OR service_checks && CAST(?2 AS text[])) ORDER BY id FOR UPDATE""";
    /** Locks every session on ?1, in ID order. */
    private static final String LOCK_ON_NODE = "SELECT id FROM sessions WHERE node = ?1 ORDER BY id FOR UPDATE";

    private final EntityManager em;
    private final ChangeIndex changeIndex;
    private final SessiondMetrics metrics;

    public SessionInvalidation(EntityManager em, ChangeIndex changeIndex, SessiondMetrics metrics) {
        this.em = em;
        this.changeIndex = changeIndex;
        this.metrics = metrics;
    }

    /** {@code tables} and {@link #INVALIDATION_TABLES}: what a write that may end sessions takes the index of. */
    public static Table[] endingSessionsAnd(Table... tables) {
        return Stream.concat(Stream.of(tables), Stream.of(INVALIDATION_TABLES)).distinct().toArray(Table[]::new);
    }

    /**
     * Sessions on {@code node} bound to any of {@code checkIds}, row-locked for invalidation by the caller,
     * which took the index for {@link #INVALIDATION_TABLES}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockBoundTo(String node, Collection<String> checkIds) {
        String[] ids = checkIds.toArray(String[]::new);
        @SuppressWarnings("unchecked")
        List<UUID> bound = em.createNativeQuery(LOCK_BOUND_TO)
                .setParameter(1, node)
                .setParameter(2, ids)
                .getResultList();
        return bound;
    }

    /** Every session on {@code node}, row-locked for invalidation by the caller (see {@link #lockBoundTo}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockOnNode(String node) {
        @SuppressWarnings("unchecked")
        List<UUID> onNode = em.createNativeQuery(LOCK_ON_NODE)
                .setParameter(1, node)
                .getResultList();
        return onNode;
    }

    /**
     * Ends {@code sessionIds} in the caller's transaction: the locks they hold are released or their keys
     * deleted (their behavior), lock-delay starts on those keys, and the sessions are removed. The caller
     * took {@code stamp} for {@link #INVALIDATION_TABLES} and holds the sessions' row locks.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void invalidate(Collection<UUID> sessionIds, EndReason reason, WriteStamp stamp) {
        if (sessionIds.isEmpty()) {
            return;
        }
        end(END_BY_ID, Map.of("ids", sessionIds.toArray(UUID[]::new)), stamp);
        recordEnded(sessionIds, reason);
    }

    private void recordEnded(Collection<UUID> ended, EndReason reason) {
        metrics.sessionsInvalidated(reason.cause(), ended.size());
        LOG.debugf("Invalidated %d session(s), %s: %s", ended.size(), reason, ended);
    }

    /**
     * Ends those of {@code ids} that are stored, as one write on {@code connection} (plain JDBC, auto-commit
     * off), in one round trip: the change index for {@link #INVALIDATION_TABLES}, then the sessions' row
     * locks, then the statement that removes them and releases or deletes their keys. Returns the IDs
     * ended; when there are none, the caller must roll back, so that the index taken is never seen.
     */
    public List<UUID> invalidate(Connection connection, UUID[] ids, EndReason reason) throws SQLException {
        List<UUID> ended = changeIndex.advanceThen(connection, INVALIDATION_TABLES, new ChangeIndex.Next<List<UUID>>() {
            @Override
            public String sql() {
                return END_STORED_OF;
            }

            @Override
            public void bind(PreparedStatement statement, int first) throws SQLException {
                statement.setArray(first, connection.createArrayOf("uuid", ids));
            }

            @Override
            public List<UUID> read(ResultSet rows) throws SQLException {
                List<UUID> removed = new ArrayList<>();
                while (rows.next()) {
                    removed.add(rows.getObject(1, UUID.class));
                }
                return removed;
            }
        }).next();
        if (!ended.isEmpty()) {
            recordEnded(ended, reason);
        }
        return ended;
    }

    /**
     * Runs {@code sql}, one of the statements {@link #ending} made, with its named {@code parameters} in the
     * caller's transaction; returns the IDs removed.
     */
    List<UUID> end(String sql, Map<String, Object> parameters, WriteStamp stamp) {
        Query statement = em.createNativeQuery(sql).setParameter("kvIndex", stamp.index());
        parameters.forEach(statement::setParameter);
        @SuppressWarnings("unchecked")
        List<UUID> ended = statement.getResultList();
        return ended;
    }

    /**
     * The statement that removes the sessions matching {@code which} (a condition on the sessions table) and
     * applies their behavior to the keys they lock, in one statement whatever their number. Built once, when
     * the class using it loads, from a constant condition.
     */
    static String ending(String which) {
        return """
                WITH ended AS (DELETE FROM sessions WHERE %s RETURNING id, behavior, lock_delay_ns), %s
                SELECT id FROM ended""".formatted(which, KvService.UNLOCK_ENDED_SESSIONS_CTES);
    }
}
