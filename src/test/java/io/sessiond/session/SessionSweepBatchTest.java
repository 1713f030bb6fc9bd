package io.sessiond.session;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One sweep transaction ends a whole batch of expired sessions with one statement: every session of the
 * batch gets its behavior applied to its keys and its lock-delay, and a sweep that ends nothing moves no
 * index. Expiry is brought about by moving {@code expires_at} into the past, so no test waits for a TTL.
 */
@QuarkusTest
class SessionSweepBatchTest {

    @Inject
    SessionSweeper sweeper;

    @Inject
    SessionExpiry sessions;

    @Inject
    EntityManager em;

    @AfterEach
    void resumeSweeper() {
        sweeper.resume();
    }

    @Test
    void oneSweepEndsEverySessionOfTheBatchWithItsBehaviorAndLockDelay() {
        sweeper.pause();
        String prefix = "sweep-batch-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        List<String> releasing = new ArrayList<>();
        List<String> deleting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String release = Sessions.create("{\"TTL\":\"60s\",\"LockDelay\":\"30s\"}");
            String delete = Sessions.create("{\"TTL\":\"60s\",\"Behavior\":\"delete\",\"LockDelay\":\"30s\"}");
            assertTrue(Kv.put(prefix + "rel-" + i + "?acquire=" + release, "stays"));
            assertTrue(Kv.put(prefix + "del-" + i + "?acquire=" + delete, "goes"));
            releasing.add(release);
            deleting.add(delete);
        }
        List<String> all = new ArrayList<>(releasing);
        all.addAll(deleting);
        expire(all);
        long kvIndexBefore = Kv.modifyIndex(prefix + "rel-0");

        List<UUID> swept = sessions.sweepExpired(1000);

        assertTrue(swept.containsAll(all.stream().map(UUID::fromString).toList()), "all 20 ended by one sweep: " + swept);
        assertEquals(new HashSet<>(swept).size(), swept.size(), "each once");
        for (int i = 0; i < 10; i++) {
            Kv.get(prefix + "rel-" + i).then().statusCode(200)
                    .body("[0]", not(hasKey("Session")))
                    .body("[0].Value", equalTo("c3RheXM="));
            assertTrue(Kv.modifyIndex(prefix + "rel-" + i) > kvIndexBefore, "the unlock is a write at a new index");
            Kv.get(prefix + "del-" + i).then().statusCode(404);
        }
        Instant now = Instant.now();
        List<?> delays = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT until FROM kv_lock_delays WHERE starts_with(key, ?1)")
                .setParameter(1, prefix).getResultList());
        assertEquals(20, delays.size(), "every key of the batch got its lock-delay");
        for (Object until : delays) {
            Instant ends = (Instant) until;
            assertTrue(ends.isAfter(now.plusSeconds(20)) && ends.isBefore(now.plusSeconds(40)), "30 s lock-delay: " + ends);
        }
        String other = Sessions.create("{}");
        assertFalse(Kv.put(prefix + "rel-3?acquire=" + other, "x"), "acquire refused during the lock-delay");
        for (String id : all) {
            given().when().get("/v1/session/info/" + id).then().body(equalTo("[]"));
        }
    }

    @Test
    void aSweepThatFindsEveryExpiredRowLockedElsewhereMovesNoIndex() throws Exception {
        sweeper.pause();
        String id = Sessions.create("{\"TTL\":\"60s\"}");
        expire(List.of(id));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("SELECT id FROM sessions WHERE id = ?1 FOR UPDATE")
                    .setParameter(1, UUID.fromString(id)).getResultList();
            held.countDown();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            assertTrue(held.await(20, TimeUnit.SECONDS));
            // Sessions of earlier tests may expire meanwhile and be swept: then the sweep is tried again,
            // until one finds only the held row.
            boolean onlyHeldRowLeft = false;
            for (int attempt = 0; attempt < 5 && !onlyHeldRowLeft; attempt++) {
                long before = sessionsIndex();
                List<UUID> swept = sessions.sweepExpired(1000);
                assertFalse(swept.contains(UUID.fromString(id)), "the held row is another sweeper's");
                if (swept.isEmpty()) {
                    assertEquals(before, sessionsIndex(), "nothing ended: no index moved");
                    onlyHeldRowLeft = true;
                }
            }
            assertTrue(onlyHeldRowLeft, "a sweep found only the held row");
        } finally {
            done.countDown();
            holder.get(30, TimeUnit.SECONDS);
        }
        assertTrue(sessions.sweepExpired(1000).contains(UUID.fromString(id)), "once free, it is swept");
    }

    private void expire(List<String> ids) {
        Set<UUID> uuids = new HashSet<>(ids.stream().map(UUID::fromString).toList());
        int expired = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "UPDATE sessions SET expires_at = clock_timestamp() - interval '1 second' WHERE id = ANY(?1)")
                .setParameter(1, uuids.toArray(UUID[]::new)).executeUpdate());
        assertEquals(ids.size(), expired);
    }

    private static long sessionsIndex() {
        return Long.parseLong(given().when().get("/v1/session/list").header("X-Consul-Index"));
    }
}
