package io.sessiond.catalog;

import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.config.SessiondConfig;
import io.sessiond.testsupport.SessionRows;
import io.sessiond.testsupport.Sessions;
import io.sessiond.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.sessiond.catalog.SessionLivenessTest.await;
import static io.sessiond.catalog.SessionLivenessTest.passingTtlCheck;
import static io.sessiond.catalog.SessionLivenessTest.sessionAlive;
import static io.sessiond.testsupport.Sql.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grace {@link ClusterClock} gives after an outage, on a database made to look as it does when the
 * first heartbeat after a 60 s outage arrives: the clock stopped 61 s ago, 2 s after the last heartbeat any
 * instance recorded, and the deadlines were set around it. Whichever instance's heartbeat applies it, the
 * outcome is the same, so the test looks at the rows, not at what its own {@code tick} returned.
 */
@QuarkusTest
class ClusterClockTest {

    private static final Duration TTL = Duration.ofSeconds(10);
    /** Sessions live TTL x 2 after a renewal. */
    private static final Duration LIFE = TTL.multipliedBy(2);
    /**
     * The clock stopped 2 s after the last heartbeat. Every time below is relative to one instant, the
     * transaction's start ({@code now()}).
     */
    private static final String CLOCK = """
            UPDATE cluster_clock SET alive_at = now() - interval '63 seconds', stops_after = interval '2 seconds'""";
    /** Parameters: seconds since a session's last renewal, which gave it TTL x 2 = 20 s, and the session. */
    private static final String RENEWED_AGO = """
            UPDATE sessions SET last_renewed_at = r.at, expires_at = r.at + interval '20 seconds'
            FROM (SELECT now() - make_interval(secs => ?) AS at) AS r WHERE id = ?""";

    @Inject
    ClusterClock clock;

    @Inject
    SessiondConfig config;

    @Test
    void deadlinesSetBeforeTheClockStoppedArePushedAndThoseSetWhileItStoodGetAWholeLife() throws Exception {
        String renewedBefore = Sessions.create("{\"TTL\":\"10s\"}");
        String renewedWhileStopped = Sessions.create("{\"TTL\":\"10s\"}");
        String expiredBefore = Sessions.create("{\"TTL\":\"10s\"}");
        String ttlCheck = passingTtlCheck("clock", "10s");

        // One transaction, so that the sweepers and reapers see the database before or after, never between.
        Instant before;
        try (Connection connection = TestDatabase.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            execute(connection, CLOCK);
            // Renewed 70 s ago, 7 s before the clock stopped: 13 s of its life were left then.
            execute(connection, RENEWED_AGO, 70, UUID.fromString(renewedBefore));
            // Renewed 60 s ago, while the clock stood (the database answered; no heartbeat was recorded).
            execute(connection, RENEWED_AGO, 60, UUID.fromString(renewedWhileStopped));
            // Its deadline passed 9 s before the clock stopped: it stays expired.
            execute(connection, RENEWED_AGO, 90, UUID.fromString(expiredBefore));
            // The TTL check was passed while the clock stood, 55 s ago.
            execute(connection, "UPDATE checks SET ttl_expires_at = now() - interval '45 seconds' WHERE check_id = ?",
                    ttlCheck);
            // The heartbeat job may find the outage before this test's tick does; either way, after this.
            try (PreparedStatement statement = connection.prepareStatement("SELECT clock_timestamp()");
                 ResultSet row = statement.executeQuery()) {
                row.next();
                before = row.getTimestamp(1).toInstant();
            }
            connection.commit();
        }
        clock.tick(config.heartbeat().outageAfter());
        Instant after = TestDatabase.now();

        SessionRows.Row pushed = SessionRows.row(renewedBefore);
        assertNotNull(pushed, "the session renewed before the clock stopped ended");
        // Its deadline was 50 s before, pushed by the 63 s since the last heartbeat: 13 s after the tick.
        assertWithin(pushed.expiresAt(), before.plusSeconds(13), after.plusSeconds(13), "pushed deadline");

        SessionRows.Row renewed = SessionRows.row(renewedWhileStopped);
        assertNotNull(renewed, "the session renewed while the clock stood ended");
        assertWithin(renewed.expiresAt(), before.plus(LIFE), after.plus(LIFE), "deadline of the session renewed while the clock stood");

        assertEquals(1, count(TestDatabase.dataSource(), "SELECT count(*) FROM checks WHERE check_id = ? AND status = 'passing' "
                + "AND ttl_expires_at >= clock_timestamp() + interval '9 seconds'", ttlCheck),
                "the TTL check passed while the clock stood did not get a whole TTL");

        await(() -> !sessionAlive(expiredBefore), Duration.ofSeconds(10),
                "the session that had expired before the clock stopped was given grace");
        // Both live on once the clock runs again and the sweeper has looked at what is due.
        assertTrue(sessionAlive(renewedBefore) && sessionAlive(renewedWhileStopped));
        assertFalse(count(TestDatabase.dataSource(), "SELECT count(*) FROM checks WHERE check_id = ? AND status <> 'passing'", ttlCheck) > 0);
    }

    private static void assertWithin(Instant actual, Instant from, Instant to, String what) {
        // The stored times are microseconds; the database's clock was read just before and after the tick.
        Instant low = from.minusMillis(1);
        Instant high = to.plusMillis(1);
        assertTrue(!actual.isBefore(low) && !actual.isAfter(high), what + " " + actual + " not in [" + low + ", " + high + "]");
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
