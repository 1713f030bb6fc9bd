package io.sessiond.session;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.RacingSweepers;
import io.sessiond.testsupport.Sessions;
import io.sessiond.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.SessionRows.row;
import static io.sessiond.testsupport.TestDatabase.awaitTime;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TTL expiry with the sweeper paused, so that only this test's sweeps run and it decides when: a session is
 * not due before TTL x 2, stays whole until the expiry ends it in one write, and racing sweepers end each
 * one exactly once. The black-box part is {@link SessionExpiryTest}.
 */
@QuarkusTest
class SessionExpirySweepTest {

    @Inject
    SessionSweeper sweeper;

    @Inject
    SessionExpiry sessions;

    @AfterEach
    void resumeSweeper() {
        sweeper.resume();
    }

    /**
     * Not due before TTL x 2 after the last renewal, by the database's clock, and due after: judged at
     * instants chosen between TTL and TTL x 2 and past TTL x 2. A session ending at TTL x 1 fails the first half.
     */
    @Test
    void aSessionLivesTwiceItsTtlNotOnce() throws InterruptedException {
        sweeper.pause();
        Duration ttl = Duration.ofMillis(1500);
        String id = Sessions.create("{\"TTL\":\"1500ms\"}");
        Instant renewed = row(id).lastRenewedAt();

        awaitTime(renewed.plus(ttl).plusMillis(100));
        assertFalse(sessions.sweepExpired(1000).contains(UUID.fromString(id)), "swept between TTL and TTL x 2");
        given().when().get("/v1/session/info/" + id).then().body("[0].ID", equalTo(id));
        given().when().put("/v1/session/renew/" + id).then().statusCode(200);
        Instant checkedAt = TestDatabase.now();
        assertTrue(checkedAt.isBefore(renewed.plus(ttl.multipliedBy(2))),
                "the checks ended at " + checkedAt + ", past TTL x 2 after " + renewed + ": they prove nothing");

        Instant renewedAgain = row(id).lastRenewedAt();
        awaitTime(renewedAgain.plus(ttl.multipliedBy(2)));
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
        var renewed = row(id);
        assertEquals(Duration.ofSeconds(120), Duration.between(renewed.lastRenewedAt(), renewed.expiresAt()));
        assertFalse(sessions.sweepExpired(1000).contains(UUID.fromString(id)), "renewed, it is no longer due");
        given().when().get("/v1/session/info/" + id).then().body("[0].ID", equalTo(id));
    }

    @Test
    void racingSweepersInvalidateEachExpiredSessionExactlyOnce() throws Exception {
        sweeper.pause();
        Set<UUID> created = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            created.add(UUID.fromString(Sessions.create("{\"TTL\":\"100ms\"}")));
        }
        awaitTime(created.stream().map(id -> row(id.toString()).expiresAt()).max(Instant::compareTo).orElseThrow());

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
    private static void pastDeadline(String id) {
        assertEquals(1, TestDatabase.update(
                "UPDATE sessions SET expires_at = clock_timestamp() - interval '1 second' WHERE id = ?", UUID.fromString(id)));
    }
}
