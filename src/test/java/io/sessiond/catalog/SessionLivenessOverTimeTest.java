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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.sessiond.catalog.SessionLivenessTest.assertReleased;
import static io.sessiond.catalog.SessionLivenessTest.await;
import static io.sessiond.catalog.SessionLivenessTest.sessionAlive;
import static io.sessiond.catalog.SessionLivenessTest.sessionHoldingAKey;
import static io.sessiond.catalog.SessionLivenessTest.setHeartbeat;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void passingInTimeKeepsATtlCheckAlive() throws InterruptedException {
        String check = unique("kept");
        given().body("{\"Name\":\"" + check + "\",\"TTL\":\"2s\",\"Status\":\"passing\"}").when().put("/v1/agent/check/register")
                .then().statusCode(200);
        String session = Sessions.create("{\"Checks\":[\"" + check + "\"]}");
        // Passed every 200 ms for 4 s, twice the check's TTL.
        Waits.throughout(Duration.ofSeconds(4),
                () -> given().when().put("/v1/agent/check/pass/" + check).then().statusCode(200));
        assertTrue(sessionAlive(session));
    }

    @Test
    void aLiveInstanceKeepsItsSessions() throws InterruptedException {
        Fixture fixture = sessionHoldingAKey("release");
        Waits.throughout(Duration.ofSeconds(5), () -> setHeartbeat(fixture.node(), Instant.now()));
        assertTrue(sessionAlive(fixture.session()));
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
