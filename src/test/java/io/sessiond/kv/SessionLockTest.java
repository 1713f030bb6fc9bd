package io.sessiond.kv;

import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What ending a session does to its locks, lock-delay, and atomicity under concurrent requests. */
@QuarkusTest
class SessionLockTest {

    @Test
    void destroyingAReleaseSessionUnlocksItsKeysAndKeepsTheirValues() {
        String key = unique("rel");
        String session = Sessions.create("{\"LockDelay\":0}");
        assertTrue(Kv.put(key + "?acquire=" + session, "value"));
        long lockedIndex = Kv.modifyIndex(key);

        given().when().put("/v1/session/destroy/" + session).then().statusCode(200);

        Kv.get(key).then().statusCode(200)
                .body("[0]", not(hasKey("Session")))
                .body("[0].LockIndex", equalTo(1))
                .body("[0].Value", equalTo("dmFsdWU="));
        assertTrue(Kv.modifyIndex(key) > lockedIndex, "the unlock is a write at a new index");
    }

    @Test
    void destroyingADeleteSessionDeletesItsKeys() {
        String key = unique("del");
        String session = Sessions.create("{\"Behavior\":\"delete\",\"LockDelay\":0}");
        assertTrue(Kv.put(key + "?acquire=" + session, "value"));
        given().when().put("/v1/session/destroy/" + session).then().statusCode(200);
        Kv.get(key).then().statusCode(404);
    }

    @Test
    void expiryAppliesTheBehaviorToo() throws InterruptedException {
        String released = unique("exp-rel");
        String deleted = unique("exp-del");
        // Long enough for the two acquires below to land first on a loaded machine (expiry is at TTL x 2).
        String releasing = Sessions.create("{\"TTL\":\"2s\",\"LockDelay\":0}");
        String deleting = Sessions.create("{\"TTL\":\"2s\",\"Behavior\":\"delete\",\"LockDelay\":0}");
        assertTrue(Kv.put(released + "?acquire=" + releasing, "stays"));
        assertTrue(Kv.put(deleted + "?acquire=" + deleting, "goes"));

        Instant deadline = Instant.now().plusSeconds(20);
        while (Kv.get(deleted).statusCode() != 404 || Kv.get(released).jsonPath().getString("[0].Session") != null) {
            assertTrue(Instant.now().isBefore(deadline), "the sweeper did not apply the behaviors in time");
            Thread.sleep(100);
        }
        Kv.get(released).then().body("[0].Value", equalTo("c3RheXM="));
    }

    @Test
    void lockDelayRefusesAcquireThenAllowsIt() throws InterruptedException {
        String key = unique("delay");
        String first = Sessions.create("{\"LockDelay\":\"2s\"}");
        assertTrue(Kv.put(key + "?acquire=" + first, "a"));
        given().when().put("/v1/session/destroy/" + first).then().statusCode(200);
        Instant invalidated = Instant.now();

        String second = Sessions.create("{}");
        assertFalse(Kv.put(key + "?acquire=" + second, "b"), "acquire during lock-delay");
        given().body("b").when().put("/v1/kv/" + key + "?acquire=" + UUID.randomUUID()).then()
                .statusCode(200).body(equalTo("false")); // checked before the session itself
        assertTrue(Kv.put(key, "plain writes are not delayed"));

        while (!Kv.put(key + "?acquire=" + second, "b")) {
            assertTrue(Duration.between(invalidated, Instant.now()).toMillis() < 6000, "lock-delay never ended");
            Thread.sleep(100);
        }
        assertTrue(Duration.between(invalidated, Instant.now()).toMillis() >= 1900, "acquired before the lock-delay ended");
        Kv.get(key).then().body("[0].Session", equalTo(second)).body("[0].LockIndex", equalTo(2));
    }

    @Test
    void lockDelayAlsoGuardsKeysOfDeleteSessions() {
        String key = unique("delay-del");
        String first = Sessions.create("{\"Behavior\":\"delete\",\"LockDelay\":\"5s\"}");
        assertTrue(Kv.put(key + "?acquire=" + first, "a"));
        given().when().put("/v1/session/destroy/" + first).then().statusCode(200);
        Kv.get(key).then().statusCode(404);
        assertFalse(Kv.put(key + "?acquire=" + Sessions.create("{}"), "b"));
    }

    @Test
    void concurrentAcquiresHaveExactlyOneWinner() throws Exception {
        String key = unique("race");
        List<String> sessions = IntStream.range(0, 16).mapToObj(i -> Sessions.create("{}")).toList();
        List<Boolean> results = concurrently(sessions.stream()
                .map(session -> (Callable<Boolean>) () -> Kv.put(key + "?acquire=" + session, session)).toList());
        assertEquals(1, results.stream().filter(won -> won).count());
        String winner = sessions.get(results.indexOf(true));
        Kv.get(key).then().body("[0].Session", equalTo(winner)).body("[0].LockIndex", equalTo(1));
    }

    @Test
    void concurrentCasWritesHaveExactlyOneWinnerPerIndex() throws Exception {
        String key = unique("cas-race");
        assertTrue(Kv.put(key, "start"));
        long index = Kv.modifyIndex(key);
        List<Boolean> results = concurrently(IntStream.range(0, 16)
                .mapToObj(i -> (Callable<Boolean>) () -> Kv.put(key + "?cas=" + index, "writer-" + i)).toList());
        assertEquals(1, results.stream().filter(won -> won).count());
        assertTrue(Kv.modifyIndex(key) > index);
    }

    private static <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = calls.stream().map(call -> pool.submit(() -> {
                start.await();
                return call.call();
            })).toList();
            start.countDown();
            return futures.stream().map(future -> {
                try {
                    return future.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        } finally {
            pool.shutdownNow();
        }
    }
}
