package io.sessiond.session;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session ends by one write: no reader sees it gone while its lock is still held, every read at an index
 * before that write sees it whole, and every read at or after it sees it ended. And it ends promptly: the
 * expiry commits within 100 ms of the deadline stored in the database, on the database's own clock.
 */
@QuarkusTest
class AtomicExpiryTest {

    /** How long after its deadline a session may still be alive on an idle system. */
    private static final Duration PROMPT = Duration.ofMillis(100);

    @Inject
    DataSource database;

    /** One poll: what info said at its index, then what the lock key said at its index. */
    private record Seen(boolean alive, long infoIndex, boolean held, long kvIndex) {
    }

    @Test
    void aReaderNeverSeesTheSessionGoneWhileItsLockIsHeld() {
        warmUp();
        String key = "atomic-expiry/" + UUID.randomUUID();
        String id = Sessions.create("{\"TTL\":\"500ms\",\"LockDelay\":\"0s\"}");
        assertTrue(Kv.put(key + "?acquire=" + id, "held"));

        List<Seen> polls = new ArrayList<>();
        Instant giveUp = Instant.now().plusSeconds(10);
        boolean ended = false;
        while (!ended) {
            assertTrue(Instant.now().isBefore(giveUp), "the session did not end: " + last(polls));
            // Info first, then the key: once info shows the session gone, the key read after it must be free.
            Response info = given().when().get("/v1/session/info/" + id);
            Response kv = Kv.get(key);
            Seen seen = new Seen(!info.jsonPath().getList("$").isEmpty(), Kv.index(info),
                    kv.jsonPath().get("[0].Session") != null, Kv.index(kv));
            polls.add(seen);
            assertFalse(!seen.alive() && seen.held(), "the session is gone while its lock is still held: " + seen);
            ended = !seen.alive();
        }

        // One write ended the session and released its key: its index splits every view into before and after.
        long end = Kv.modifyIndex(key);
        for (Seen seen : polls) {
            assertEquals(seen.infoIndex() < end, seen.alive(), "info at index " + seen.infoIndex() + ", ended at " + end);
            assertEquals(seen.kvIndex() < end, seen.held(), "the key at index " + seen.kvIndex() + ", ended at " + end);
            if (seen.infoIndex() == seen.kvIndex()) {
                assertEquals(seen.alive(), seen.held(), "one index, one state: " + seen);
            }
        }
        assertTrue(polls.get(0).alive(), "the reader saw the session alive first");
    }

    @Test
    void sessionsEndWithinAHundredMillisecondsOfTheirDeadline() throws Exception {
        warmUp();
        String prefix = "prompt-expiry/" + UUID.randomUUID() + "/";
        List<String> ids = new ArrayList<>();
        List<Instant> deadlines = new ArrayList<>();
        // Deadlines 4, 5 and 6 s away: the sweeper must wake for each, not only the first.
        for (String ttl : List.of("2s", "2500ms", "3s")) {
            String id = Sessions.create("{\"TTL\":\"" + ttl + "\",\"LockDelay\":\"0s\"}");
            deadlines.add(timestamp("SELECT expires_at FROM sessions WHERE id = CAST(? AS uuid)", id));
            assertTrue(Kv.put(prefix + id + "?acquire=" + id, "held"));
            ids.add(id);
        }

        List<Duration> lateness = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String key = prefix + ids.get(i);
            awaitReleased(key);
            // The key's row was last written by the transaction that ended the session: its commit time is the end.
            Instant ended = timestamp("SELECT pg_xact_commit_timestamp(xmin) FROM kv_entries WHERE key = ?", key);
            lateness.add(Duration.between(deadlines.get(i), ended));
        }
        for (Duration late : lateness) {
            assertFalse(late.isNegative(), "a session ended before its deadline: " + lateness);
            assertTrue(late.compareTo(PROMPT) < 0, "sessions ended this long after their deadlines: " + lateness);
        }
    }

    /**
     * A first create and acquire, so that what the first requests of a fresh server cost (class loading,
     * compilation) is not spent inside a short TTL.
     */
    private static void warmUp() {
        String id = Sessions.create("{}");
        assertTrue(Kv.put("atomic-expiry-warm-up/" + id + "?acquire=" + id, "warm"));
        given().when().put("/v1/session/destroy/" + id).then().statusCode(200);
    }

    private static void awaitReleased(String key) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(10);
        while (Kv.get(key).jsonPath().get("[0].Session") != null) {
            assertTrue(Instant.now().isBefore(giveUp), key + " is still locked");
            Thread.sleep(20);
        }
    }

    private Instant timestamp(String sql, String parameter) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet row = statement.executeQuery()) {
                assertTrue(row.next(), sql + " found no row for " + parameter);
                OffsetDateTime value = row.getObject(1, OffsetDateTime.class);
                assertNotNull(value, sql + " is null for " + parameter);
                return value.toInstant();
            }
        }
    }

    private static Seen last(List<Seen> polls) {
        return polls.isEmpty() ? null : polls.get(polls.size() - 1);
    }
}
