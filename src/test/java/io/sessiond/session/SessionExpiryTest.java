package io.sessiond.session;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sessiond.index.DatabaseClock;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.RacingSweepers;
import io.sessiond.testsupport.Sessions;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TTL expiry: sessions live TTL x 2 after their last renewal, until the expiry ends them, which removes
 * the session and releases its keys in one write, exactly once even when sweepers race. The test profile lowers the TTL floor to 100ms, so
 * the same rules are observed in about a second.
 */
@QuarkusTest
class SessionExpiryTest {

    @Inject
    SessionSweeper sweeper;

    @Inject
    SessionExpiry sessions;

    @Inject
    EntityManager em;

    @Inject
    DatabaseClock clock;

    @AfterEach
    void resumeSweeper() {
        sweeper.resume();
    }

    @Test
    void sweeperRemovesSessionsAfterTwiceTheirTtl() throws InterruptedException {
        String id = Sessions.create("{\"TTL\":\"1s\"}");
        Session stored = row(id);
        // The deadline is TTL x 2 after the create, on the database's clock; AtomicExpiryTest checks that the
        // sweeper ends a session after its deadline, and promptly.
        assertEquals(Duration.ofSeconds(2), Duration.between(stored.createdAt, stored.expiresAt));
        long indexBefore = sessionsIndex();

        awaitRowDeleted(id, Duration.ofSeconds(10));

        given().when().get("/v1/session/info/" + id).then().body(equalTo("[]"));
        given().when().get("/v1/session/list").then().body("ID", not(hasItem(id)));
        assertTrue(sessionsIndex() > indexBefore, "expiry is a write at a new index");
    }

    /**
     * Not due before TTL x 2 after the last renewal, by the database's clock, and due after: judged at
     * instants chosen between TTL and TTL x 2 and past TTL x 2, with the sweeper paused so that only this
     * test's sweeps run. A session ending at TTL x 1 fails the first half.
     */
    @Test
    void aSessionLivesTwiceItsTtlNotOnce() throws InterruptedException {
        sweeper.pause();
        Duration ttl = Duration.ofMillis(1500);
        String id = Sessions.create("{\"TTL\":\"1500ms\"}");
        Instant renewed = row(id).lastRenewedAt;

        awaitDatabaseTime(renewed.plus(ttl).plusMillis(100));
        assertFalse(sessions.sweepExpired(1000).contains(UUID.fromString(id)), "swept between TTL and TTL x 2");
        given().when().get("/v1/session/info/" + id).then().body("[0].ID", equalTo(id));
        given().when().put("/v1/session/renew/" + id).then().statusCode(200);
        Instant checkedAt = databaseNow();
        assertTrue(checkedAt.isBefore(renewed.plus(ttl.multipliedBy(2))),
                "the checks ended at " + checkedAt + ", past TTL x 2 after " + renewed + ": they prove nothing");

        Instant renewedAgain = row(id).lastRenewedAt;
        awaitDatabaseTime(renewedAgain.plus(ttl.multipliedBy(2)));
        assertTrue(sessions.sweepExpired(1000).contains(UUID.fromString(id)), "not swept past TTL x 2");
        given().when().get("/v1/session/info/" + id).then().body(equalTo("[]"));
        assertNull(row(id));
    }

    @Test
    void aSessionPastItsDeadlineStaysWholeUntilTheExpiryEndsItInOneWrite() {
        sweeper.pause();
        String key = "expiry-whole/" + UUID.randomUUID();
        String id = Sessions.create("{\"TTL\":\"60s\",\"LockDelay\":\"0s\"}");
        assertTrue(Kv.put(key + "?acquire=" + id, "held"));
        pastDeadline(id);

        // Nothing ended it yet: every read shows it alive, holding its lock, and it may still take locks.
        given().when().get("/v1/session/info/" + id).then().statusCode(200).body("[0].ID", equalTo(id));
        given().when().get("/v1/session/list").then().body("ID", hasItem(id));
        given().when().get("/v1/session/node/sessiond-test").then().body("ID", hasItem(id));
        Kv.get(key).then().body("[0].Session", equalTo(id));
        assertTrue(Kv.put(key + "-second?acquire=" + id, "held too"));

        sweepUntilEnded(id);

        assertNull(row(id));
        Response info = given().when().get("/v1/session/info/" + id);
        info.then().body(equalTo("[]"));
        Kv.get(key).then().body("[0]", not(hasKey("Session")));
        Kv.get(key + "-second").then().body("[0]", not(hasKey("Session")));
        assertEquals(Kv.modifyIndex(key), Kv.modifyIndex(key + "-second"), "one write released both keys");
        assertTrue(Kv.index(info) >= Kv.modifyIndex(key), "the session's end is at that write's index");
    }

    @Test
    void aSessionPastItsDeadlineThatNothingEndedYetCanBeRenewed() {
        sweeper.pause();
        String id = Sessions.create("{\"TTL\":\"60s\"}");
        pastDeadline(id);

        // As in Consul, where a session lives until its timer's invalidation is applied.
        given().when().put("/v1/session/renew/" + id).then().statusCode(200).body("[0].ID", equalTo(id));
        Session renewed = row(id);
        assertEquals(Duration.ofSeconds(120), Duration.between(renewed.lastRenewedAt, renewed.expiresAt));
        assertFalse(sessions.sweepExpired(1000).contains(UUID.fromString(id)), "renewed, it is no longer due");
        given().when().get("/v1/session/info/" + id).then().body("[0].ID", equalTo(id));
    }

    @Test
    void renewMovesTheExpiry() throws InterruptedException {
        String id = Sessions.create("{\"TTL\":\"1s\"}");
        Session created = row(id);
        assertEquals(Duration.ofSeconds(2), Duration.between(created.lastRenewedAt, created.expiresAt));

        awaitDatabaseTime(created.lastRenewedAt.plusMillis(1200));
        given().when().put("/v1/session/renew/" + id).then().statusCode(200).body("[0].ID", equalTo(id));
        Session renewed = row(id);
        assertTrue(renewed.expiresAt.isAfter(created.expiresAt.plusMillis(1000)),
                created.expiresAt + " -> " + renewed.expiresAt);
        assertEquals(Duration.ofSeconds(2), Duration.between(renewed.lastRenewedAt, renewed.expiresAt));

        // Past the expiry the session had before its renewal, it is still alive.
        awaitDatabaseTime(created.expiresAt.plusMillis(300));
        given().when().get("/v1/session/info/" + id).then().body("[0].ID", equalTo(id));
    }

    @Test
    void sessionsWithoutTtlNeverExpire() {
        String id = Sessions.create("{\"TTL\":\"0s\"}");
        assertNull(row(id).expiresAt);
        given().when().put("/v1/session/renew/" + id).then().statusCode(200);
        assertNull(row(id).expiresAt);
    }

    @Test
    void racingSweepersInvalidateEachExpiredSessionExactlyOnce() throws Exception {
        sweeper.pause();
        Set<UUID> created = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            created.add(UUID.fromString(Sessions.create("{\"TTL\":\"100ms\"}")));
        }
        awaitDatabaseTime(created.stream().map(id -> row(id.toString()).expiresAt).max(Instant::compareTo).orElseThrow());

        List<UUID> all = RacingSweepers.race(sessions::sweepExpired, 7);

        assertEquals(new HashSet<>(all).size(), all.size(), "no session was invalidated twice");
        assertTrue(all.containsAll(created), "every expired session was invalidated");
        for (UUID id : created) {
            assertNull(row(id.toString()));
        }
    }

    /**
     * Sweeps until a sweep ends {@code id}: a sweep passes over a row another transaction holds (the
     * connection-activity flush key-share locks the sessions it counted), for a later sweep.
     */
    private void sweepUntilEnded(String id) {
        Instant giveUp = Instant.now().plusSeconds(10);
        while (!sessions.sweepExpired(1000).contains(UUID.fromString(id))) {
            assertTrue(Instant.now().isBefore(giveUp), "no sweep ended " + id);
        }
    }

    /** Moves the session's deadline into the past, as if its TTL x 2 had run out, without waiting for it. */
    private void pastDeadline(String id) {
        int moved = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "UPDATE sessions SET expires_at = clock_timestamp() - interval '1 second' WHERE id = ?1")
                .setParameter(1, UUID.fromString(id)).executeUpdate());
        assertEquals(1, moved);
    }

    private Instant databaseNow() {
        return QuarkusTransaction.requiringNew().call(clock::now);
    }

    /** Returns once the database's clock, which expiry is judged by, is past {@code instant}. */
    private void awaitDatabaseTime(Instant instant) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.between(databaseNow(), instant)).plusSeconds(30);
        while (!databaseNow().isAfter(instant)) {
            assertTrue(Instant.now().isBefore(deadline), "the database clock did not pass " + instant);
            Thread.sleep(20);
        }
    }

    private static long sessionsIndex() {
        return Long.parseLong(given().when().get("/v1/session/list").header("X-Consul-Index"));
    }

    private static Session row(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Session.findById(UUID.fromString(id)));
    }

    private static void awaitRowDeleted(String id, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (row(id) != null) {
            assertTrue(Instant.now().isBefore(deadline), "session " + id + " still stored after " + limit);
            Thread.sleep(50);
        }
    }
}
