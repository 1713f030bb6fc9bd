package io.sessiond.consul;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.NodeScript;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Consul client against sessiond: the npm {@code consul} package (2.0.1), unchanged, manages
 * sessions, and two processes using it compete for a lock with the algorithm of Go's {@code api.Lock}.
 */
@QuarkusTest
class ConsulNodeClientTest {

    /** Short enough to keep the test quick; the rules are the same at Consul's 15 s. */
    private static final String LOCK_DELAY = "1s";
    private static final long LOCK_DELAY_MS = 1000;
    private static final long RETRY_MS = 300;
    private static final long SWEEPER_INTERVAL_MS = 1000;
    /**
     * Room for a loaded machine: the bounds check the mechanism, not the machine's speed. The contenders'
     * blocking reads wait up to 30 s, so a takeover within this slack shows that a change woke them.
     */
    private static final long SLACK_MS = 8000;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URL server;

    @Test
    void nodeConsulClientManagesSessionsUnchanged() throws Exception {
        try (NodeScript check = NodeScript.start("session-client-check.js", port(), "sessiond-test")) {
            assertEquals(0, check.await(LIMIT), check.output());
            assertTrue(check.output().contains("all behaved as with Consul"), check.output());
        }
    }

    @Test
    void theSecondContenderLeadsOnceTheFirstDestroysItsSession() throws Exception {
        String key = "service/leader-" + System.nanoTime();
        try (NodeScript first = contender(key, "first", "10s", 2000);
             NodeScript second = startAfterAcquired(first, key, "second", "10s", 500)) {
            long firstAcquired = first.awaitTimestamp("ACQUIRED", LIMIT);
            long firstReleasing = first.awaitTimestamp("RELEASING", LIMIT);
            long secondAcquired = second.awaitTimestamp("ACQUIRED", LIMIT);
            assertEquals(0, first.await(LIMIT), first.output());
            assertEquals(0, second.await(LIMIT), second.output());

            assertTrue(firstAcquired < firstReleasing);
            assertTrue(secondAcquired >= firstReleasing + LOCK_DELAY_MS - 100,
                    "the second took over " + (secondAcquired - firstReleasing) + " ms after the release, within lock-delay");
            assertTrue(secondAcquired - firstReleasing <= LOCK_DELAY_MS + RETRY_MS + SLACK_MS,
                    "the second took over only " + (secondAcquired - firstReleasing) + " ms after the release\n"
                            + second.output() + "\nfirst:\n" + first.output());
        }
    }

    @Test
    void theSecondContenderLeadsOnceTheFirstDiesAndItsSessionExpires() throws Exception {
        String key = "service/leader-" + System.nanoTime();
        long ttlTimesTwoMs = 2 * 1000;
        try (NodeScript first = contender(key, "crashing", "1s", -1);
             NodeScript second = startAfterAcquired(first, key, "survivor", "10s", 0)) {
            String firstSession = first.awaitLine("SESSION ", LIMIT).orElseThrow().substring("SESSION ".length()).trim();
            // The first renews: through TTL x 2 and more, the second must not get the lock.
            assertTrue(second.awaitLine("ACQUIRED", Duration.ofMillis(ttlTimesTwoMs)).isEmpty(), "acquired while the first was alive");

            long heldBeforeKill = System.currentTimeMillis();
            assertEquals(firstSession, holder(key), "the first holds the lock until it dies");
            long killed = System.currentTimeMillis();
            first.kill();
            long lastSeenHolding = lastSeenHolding(key, firstSession, heldBeforeKill);
            long secondAcquired = second.awaitTimestamp("ACQUIRED", LIMIT);
            assertEquals(0, second.await(LIMIT), second.output());

            // The lock was released after it was last seen held, and its lock-delay runs from that release: an
            // acquisition sooner than the lock-delay after that sighting came before the lock-delay ran out.
            assertTrue(secondAcquired - lastSeenHolding >= LOCK_DELAY_MS, "took over " + (secondAcquired - lastSeenHolding)
                    + " ms after the lock was last seen held, within its lock-delay");
            long takeover = secondAcquired - killed;
            // Expiry comes TTL x 2 after the last renewal and is swept within one sweeper interval (1 s in tests).
            assertTrue(takeover <= ttlTimesTwoMs + SWEEPER_INTERVAL_MS + LOCK_DELAY_MS + RETRY_MS + SLACK_MS,
                    "took over only " + takeover + " ms after the crash\n" + second.output());
        }
    }

    /**
     * Polls the key until {@code session} no longer holds it; returns when the last request that still saw it
     * held was sent. The lock is released by the session's invalidation, which starts the lock-delay.
     */
    private static long lastSeenHolding(String key, String session, long seenHolding) throws InterruptedException {
        long deadline = System.currentTimeMillis() + LIMIT.toMillis();
        long lastSeenHolding = seenHolding;
        while (true) {
            long sent = System.currentTimeMillis();
            if (!session.equals(holder(key))) {
                return lastSeenHolding;
            }
            lastSeenHolding = sent;
            assertTrue(sent < deadline, "session " + session + " still holds " + key + " " + LIMIT + " after it died");
            Thread.sleep(20);
        }
    }

    private static String holder(String key) {
        return given().get("/v1/kv/" + key).then().statusCode(200).extract().path("[0].Session");
    }

    private NodeScript contender(String key, String name, String ttl, long holdMs) throws Exception {
        return NodeScript.start("lock-contender.js", port(), key, name, ttl, LOCK_DELAY, String.valueOf(RETRY_MS),
                String.valueOf(holdMs));
    }

    private NodeScript startAfterAcquired(NodeScript holder, String key, String name, String ttl, long holdMs)
            throws Exception {
        holder.awaitTimestamp("ACQUIRED", LIMIT);
        NodeScript contender = contender(key, name, ttl, holdMs);
        contender.awaitLine("SESSION", LIMIT);
        return contender;
    }

    private String port() {
        return String.valueOf(server.getPort());
    }
}
