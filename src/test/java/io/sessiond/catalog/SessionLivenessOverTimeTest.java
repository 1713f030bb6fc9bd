package io.sessiond.catalog;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.catalog.SessionLivenessTest.Fixture;
import io.sessiond.testsupport.Sessions;
import io.sessiond.testsupport.Waits;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static io.sessiond.catalog.SessionLivenessTest.assertReleased;
import static io.sessiond.catalog.SessionLivenessTest.await;
import static io.sessiond.catalog.SessionLivenessTest.passingTtlCheck;
import static io.sessiond.catalog.SessionLivenessTest.sessionAlive;
import static io.sessiond.catalog.SessionLivenessTest.sessionHoldingAKey;
import static io.sessiond.catalog.SessionLivenessTest.setHeartbeat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Session liveness over seconds, and with the liveness jobs under the test's control: what a live check or
 * instance keeps (watched for several TTLs, too slow for every artifact run), and reapers run by the test
 * itself. The black-box cases are in {@link SessionLivenessTest}.
 */
@QuarkusTest
class SessionLivenessOverTimeTest {

    @Inject
    CheckLiveness liveness;

    @Inject
    Scheduler scheduler;

    @Inject
    LocalNode localNode;

    @AfterEach
    void resumeLivenessJobs() {
        scheduler.resume(Liveness.REAPER_JOB);
        scheduler.resume(Liveness.HEARTBEAT_JOB);
    }

    /** Attempts a keep-alive test makes before it gives up on a machine too stalled to show anything. */
    private static final int ATTEMPTS = 3;

    @Test
    void passingInTimeKeepsATtlCheckAlive() throws InterruptedException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long since = System.nanoTime();
            String check = passingTtlCheck("kept", "2s");
            String session = Sessions.create("{\"Checks\":[\"" + check + "\"]}");
            // Passed every 100 ms for 4 s, twice the check's TTL.
            Optional<Boolean> alive = aliveAfter(since, Duration.ofSeconds(4), Duration.ofSeconds(2),
                    () -> given().when().put("/v1/agent/check/pass/" + check).then().statusCode(200),
                    () -> sessionAlive(session));
            if (alive.isPresent()) {
                assertTrue(alive.get(), "the session ended though its check was passed within every TTL");
                return;
            }
        }
        fail(ATTEMPTS + " attempts stalled longer than the check's TTL between two passes: nothing was shown");
    }

    @Test
    void aLiveInstanceKeepsItsSessions() throws InterruptedException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long since = System.nanoTime();
            Fixture fixture = sessionHoldingAKey("release");
            // Beats every 100 ms for 5 s; the test profile declares an instance dead after 3 s without one.
            Optional<Boolean> alive = aliveAfter(since, Duration.ofSeconds(5), Duration.ofSeconds(3),
                    () -> setHeartbeat(fixture.node(), Instant.now()), () -> sessionAlive(fixture.session()));
            if (alive.isPresent()) {
                assertTrue(alive.get(), "the session ended though its instance beat within every dead-after");
                return;
            }
        }
        fail(ATTEMPTS + " attempts stalled longer than dead-after between two heartbeats: nothing was shown");
    }

    /**
     * Runs {@code keepAlive} every {@link Waits#STEP} for {@code period}, then answers whether {@code alive}
     * holds; empty when the run proves nothing: somewhere more than {@code limit} passed from sending one
     * keep-alive (the first: from {@code since}, before the lease began) to the answer of the next, or of the
     * final look, so that a stalled machine, not the rule under test, may have let the lease lapse.
     */
    private static Optional<Boolean> aliveAfter(long since, Duration period, Duration limit, Runnable keepAlive,
                                                BooleanSupplier alive) throws InterruptedException {
        long[] previousSend = {since};
        long[] longestGap = {0};
        Waits.throughout(period, () -> {
            long sent = System.nanoTime();
            keepAlive.run();
            longestGap[0] = Math.max(longestGap[0], System.nanoTime() - previousSend[0]);
            previousSend[0] = sent;
        });
        boolean result = alive.getAsBoolean();
        longestGap[0] = Math.max(longestGap[0], System.nanoTime() - previousSend[0]);
        return longestGap[0] < limit.toNanos() ? Optional.of(result) : Optional.empty();
    }

    @Test
    void racingReapersDeclareADeadInstanceDeadOnce() throws Exception {
        scheduler.pause(Liveness.REAPER_JOB);
        Fixture fixture = sessionHoldingAKey("release");
        setHeartbeat(fixture.node(), Instant.now().minusSeconds(60));

        // Only this node has been silent for 30 s: other tests' nodes beat more recently or are dead already.
        Duration deadAfter = Duration.ofSeconds(30);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> reapers = List.of(
                    pool.submit(() -> { start.await(); return liveness.reapDeadInstances(deadAfter, 100, null); }),
                    pool.submit(() -> { start.await(); return liveness.reapDeadInstances(deadAfter, 100, null); }));
            start.countDown();
            int marked = 0;
            for (Future<Integer> reaper : reapers) {
                marked += reaper.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, marked, "the dead node was marked critical by exactly one reaper");
            assertEquals(0, liveness.reapDeadInstances(deadAfter, 100, null), "nothing is left to mark");
        } finally {
            pool.shutdownNow();
        }
        assertFalse(sessionAlive(fixture.session()));
        assertReleased(fixture.key());
    }

    @Test
    void anInstanceDeclaredDeadWhileAliveComesBack() throws InterruptedException {
        // This instance's heartbeat came late (a pause, a stalled database) and a peer declared it dead.
        String self = localNode.name();
        String ended = Sessions.create("{}");
        scheduler.pause(Liveness.HEARTBEAT_JOB);
        // A heartbeat already under way may still land after the pause: then the peer tries again.
        await(() -> {
            setHeartbeat(self, Instant.now().minusSeconds(60));
            return liveness.reapDeadInstances(Duration.ofSeconds(30), 100, null) == 1;
        }, Duration.ofSeconds(15), "the peer never marked this instance dead");
        assertFalse(sessionAlive(ended));
        scheduler.resume(Liveness.HEARTBEAT_JOB);

        // Its own reaper never declares it dead, and its next heartbeat makes its serfHealth pass again.
        await(() -> "passing".equals(given().when().get("/v1/health/node/" + self).then().statusCode(200)
                        .extract().path("find { it.CheckID == 'serfHealth' }.Status")),
                Duration.ofSeconds(15), "the live instance's serfHealth never passed again");
        given().when().get("/v1/health/node/" + self).then()
                .body("find { it.CheckID == 'serfHealth' }.Output", equalTo(CheckLiveness.AGENT_ALIVE));
        assertTrue(sessionAlive(Sessions.create("{}")), "default sessions can be created again");
        assertFalse(sessionAlive(ended), "what ended stays ended");
    }
}
