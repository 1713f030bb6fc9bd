package io.sessiond.session;

import io.sessiond.index.ChangeIndex;
import io.sessiond.index.WriteStamp;
import io.sessiond.metrics.SessiondMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Ends the sessions whose deadline passed, through {@link SessionInvalidation}, and says when the next one is
 * due.
 *
 * <p>The liveness rule, written once: <b>a stored session is alive</b>; reads, renewals and acquisitions
 * look only at whether its row exists, never at a clock. A session is <b>due</b> to end once its deadline,
 * {@code expires_at} (TTL x 2 after its creation or last renewal, capped by a deferred kill's stop time),
 * has passed on the database's clock ({@link #DUE}); only the expiry reads that, and ending a due session is
 * one write that deletes its row and releases or deletes its keys. So no read sees a session gone while its
 * keys remain, and one change index is one state. Pushing every deadline by D is one {@code UPDATE} of
 * {@code expires_at}.
 */
@ApplicationScoped
public class SessionExpiry {

    /**
     * The condition on the sessions table that a session is due to end. The clock is the cluster's
     * ({@code cluster_now()}, see io.sessiond.catalog.ClusterClock): the database's, stopped while no instance
     * could record a heartbeat, so that nothing ends for a renewal an outage prevented. It is read once per
     * statement (an init plan), which lets PostgreSQL use the index on {@code expires_at}.
     */
    public static final String DUE = "expires_at <= (SELECT cluster_now())";

    private static final Logger LOG = Logger.getLogger(SessionExpiry.class);

    /** Whether any session is due: a look without locks. */
    private static final String ANY_DUE = "SELECT 1 FROM sessions WHERE " + DUE + " LIMIT 1";
    /** Ends up to :limit due sessions, earliest deadline first, passing over rows another transaction holds. */
    private static final String END_DUE = SessionInvalidation.ending("id = ANY(ARRAY(SELECT id FROM sessions WHERE "
            + DUE + " ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED))");
    /**
     * Microseconds until the earliest deadline (zero or less: due now), or null when no session has one or
     * the cluster's clock stands (nothing comes due until it runs again).
     */
    private static final String UNTIL_NEXT_DEADLINE = """
            SELECT CASE WHEN cluster_clock_stopped() THEN NULL
                ELSE CAST(EXTRACT(EPOCH FROM min(expires_at) - cluster_now()) * 1000000 AS bigint) END FROM sessions""";

    private final ChangeIndex changeIndex;
    private final SessionInvalidation invalidation;
    private final EntityManager em;
    private final DataSource dataSource;
    private final SessiondMetrics metrics;

    public SessionExpiry(ChangeIndex changeIndex, SessionInvalidation invalidation, EntityManager em,
                         DataSource dataSource, SessiondMetrics metrics) {
        this.metrics = metrics;
        this.changeIndex = changeIndex;
        this.invalidation = invalidation;
        this.em = em;
        this.dataSource = dataSource;
    }

    /**
     * Invalidates up to {@code batchSize} due sessions in one transaction of its own and returns their IDs.
     * Sweepers on several instances take the change index one after the other (the write protocol), each
     * seeing what the one before removed, and a row is deleted by one transaction only, so each session is
     * ended exactly once; {@code SKIP LOCKED} passes over a row another transaction holds (a renewal, an
     * acquisition, a connection-activity flush), for a later sweep. The due rows are found, locked, removed
     * and their locks released by one statement.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<UUID> sweepExpired(int batchSize) {
        // A look without locks first: a sweep that finds nothing must not move the index.
        if (em.createNativeQuery(ANY_DUE).getResultList().isEmpty()) {
            return List.of();
        }
        WriteStamp stamp = changeIndex.advance(SessionInvalidation.INVALIDATION_TABLES);
        List<UUID> expired = invalidation.end(END_DUE, Map.of("limit", batchSize), stamp);
        if (expired.isEmpty()) {
            // Every due row was another sweeper's: the index taken must not be seen.
            changeIndex.nothingChanged();
        }
        metrics.sessionsInvalidated(SessiondMetrics.Cause.TTL, expired.size());
        LOG.debugf("Invalidated %d session(s), %s", expired.size(), SessionInvalidation.EndReason.EXPIRED);
        return expired;
    }

    /**
     * How long until the earliest deadline of any session, on the database's clock (zero or negative: a
     * session is due now); empty when no session has a deadline. One indexed statement, no transaction.
     */
    public Optional<Duration> untilNextDeadline() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(UNTIL_NEXT_DEADLINE);
             ResultSet row = statement.executeQuery()) {
            row.next();
            long micros = row.getLong(1);
            return row.wasNull() ? Optional.empty() : Optional.of(Duration.ofNanos(micros * 1000));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the next session deadline failed", e);
        }
    }
}
