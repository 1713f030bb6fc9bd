package io.sessiond.catalog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import io.sessiond.testsupport.Waits;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static io.sessiond.catalog.CatalogEndpointsTest.register;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions are liveness leases: each way a node or a bound check dies ends the sessions on it, with their
 * locks released or deleted, in the transaction that noticed it. The test profile heartbeats every second
 * and declares an instance dead after three.
 */
@QuarkusTest
class SessionLivenessTest {

    @Inject
    CheckLiveness liveness;

    @Inject
    EntityManager em;

    @Inject
    Scheduler scheduler;

    @Inject
    LocalNode localNode;

    @AfterEach
    void resumeLivenessJobs() {
        scheduler.resume(Liveness.REAPER_JOB);
        scheduler.resume(Liveness.HEARTBEAT_JOB);
    }

    /** A node with a passing serfHealth and app check, and a session bound to both holding a key. */
    private record Fixture(String node, String session, String key) {
    }

    private static Fixture sessionHoldingAKey(String behavior) {
        String node = unique("node");
        register("{\"Node\":\"" + node + "\",\"Address\":\"10.1.0.1\",\"Checks\":["
                + "{\"CheckID\":\"serfHealth\",\"Status\":\"passing\"},{\"CheckID\":\"app\",\"Status\":\"passing\"}]}");
        String session = Sessions.create("{\"Node\":\"" + node + "\",\"Checks\":[\"app\"],\"Behavior\":\"" + behavior
                + "\",\"LockDelay\":0}");
        String key = unique("held");
        assertTrue(Kv.put(key + "?acquire=" + session, "value"));
        return new Fixture(node, session, key);
    }

    private static boolean sessionAlive(String session) {
        return !given().when().get("/v1/session/info/" + session).then().statusCode(200).extract().asString().equals("[]");
    }

    private static void assertReleased(String key) {
        Kv.get(key).then().statusCode(200).body("[0]", not(hasKey("Session"))).body("[0].Value", equalTo("dmFsdWU="));
    }

    @Test
    void aCriticalCheckEndsItsSessionsAndReleasesTheirLocks() {
        Fixture fixture = sessionHoldingAKey("release");
        register("{\"Node\":\"" + fixture.node() + "\",\"Address\":\"10.1.0.1\",\"Check\":{\"CheckID\":\"app\",\"Status\":\"critical\"}}");
        assertFalse(sessionAlive(fixture.session()));
        assertReleased(fixture.key());
    }

    @Test
    void aWarningKeepsTheSession() {
        Fixture fixture = sessionHoldingAKey("release");
        register("{\"Node\":\"" + fixture.node() + "\",\"Address\":\"10.1.0.1\",\"Check\":{\"CheckID\":\"app\",\"Status\":\"warning\"}}");
        assertTrue(sessionAlive(fixture.session()));
        Kv.get(fixture.key()).then().body("[0].Session", equalTo(fixture.session()));
    }

    @Test
    void aDeregisteredCheckEndsItsSessions() {
        Fixture fixture = sessionHoldingAKey("delete");
        given().body("{\"Node\":\"" + fixture.node() + "\",\"CheckID\":\"app\"}").when().put("/v1/catalog/deregister")
                .then().statusCode(200).body(equalTo("true"));
        assertFalse(sessionAlive(fixture.session()));
        Kv.get(fixture.key()).then().statusCode(404);
    }

    @Test
    void aDeregisteredNodeEndsItsSessions() {
        Fixture fixture = sessionHoldingAKey("release");
        String unbound = Sessions.create("{\"Node\":\"" + fixture.node() + "\",\"NodeChecks\":[]}");
        given().body("{\"Node\":\"" + fixture.node() + "\"}").when().put("/v1/catalog/deregister").then().statusCode(200);
        assertFalse(sessionAlive(fixture.session()));
        assertFalse(sessionAlive(unbound), "every session on the node ends, bound to checks or not");
        assertReleased(fixture.key());
        given().when().get("/v1/catalog/node/" + fixture.node()).then().body(equalTo("null"));
    }

    @Test
    void aDeregisteredServiceEndsTheSessionsOnItsChecks() {
        String node = unique("svc-node");
        register("{\"Node\":\"" + node + "\",\"Address\":\"10.1.0.2\",\"Service\":{\"ID\":\"db-1\",\"Service\":\"db\"},"
                + "\"Check\":{\"CheckID\":\"db-alive\",\"Status\":\"passing\",\"ServiceID\":\"db-1\"}}");
        String session = Sessions.create("{\"Node\":\"" + node + "\",\"NodeChecks\":[],"
                + "\"ServiceChecks\":[{\"ID\":\"db-alive\"}]}");
        given().body("{\"Node\":\"" + node + "\",\"ServiceID\":\"db-1\"}").when().put("/v1/catalog/deregister").then().statusCode(200);
        assertFalse(sessionAlive(session));
    }

    @Test
    void anExpiredTtlCheckTurnsCriticalAndEndsItsSessions() throws InterruptedException {
        String check = unique("heartbeat");
        given().body("{\"Name\":\"" + check + "\",\"TTL\":\"1s\",\"Status\":\"passing\"}").when().put("/v1/agent/check/register")
                .then().statusCode(200);
        String session = Sessions.create("{\"Checks\":[\"" + check + "\"],\"LockDelay\":0}");
        String key = unique("ttl-held");
        assertTrue(Kv.put(key + "?acquire=" + session, "value"));

        await(() -> !sessionAlive(session), Duration.ofSeconds(10), "the TTL check never expired");
        given().when().get("/v1/health/node/sessiond-test").then()
                .body("find { it.CheckID == '" + check + "' }.Status", equalTo("critical"))
                .body("find { it.CheckID == '" + check + "' }.Output", equalTo("TTL expired"));
        assertReleased(key);
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
    void aDeadInstanceIsDetectedAndItsSessionsEnd() throws InterruptedException {
        // A peer sessiond instance: a node with a heartbeat, which stops beating.
        Fixture fixture = sessionHoldingAKey("release");
        setHeartbeat(fixture.node(), Instant.now());
        await(() -> !sessionAlive(fixture.session()), Duration.ofSeconds(15), "the dead instance was never detected");
        given().when().get("/v1/health/node/" + fixture.node()).then()
                .body("find { it.CheckID == 'serfHealth' }.Status", equalTo("critical"))
                .body("find { it.CheckID == 'serfHealth' }.Output", equalTo(CheckLiveness.AGENT_UNREACHABLE));
        assertReleased(fixture.key());
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

    private void setHeartbeat(String node, Instant at) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE nodes SET heartbeat_at = ?1 WHERE name = ?2")
                .setParameter(1, at).setParameter(2, node).executeUpdate());
    }

    private static void await(BooleanSupplier condition, Duration limit, String failure) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), failure);
            Thread.sleep(100);
        }
    }
}
