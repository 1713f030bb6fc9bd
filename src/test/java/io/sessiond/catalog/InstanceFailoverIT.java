package io.sessiond.catalog;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sessiond.testsupport.FaultFigures;
import io.sessiond.testsupport.NodeScript;
import io.sessiond.testsupport.PackagedInstance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged sessiond instances (the artifact of the current build: the jar, or the native executable when
 * built with {@code -Dnative}; never a stale one, see {@code PackagedArtifact})
 * share one database. One holds a lock through a session made on it and is killed with SIGKILL: the other
 * declares it dead from its stopped heartbeat, which ends its sessions and releases their locks, and a
 * lock waiter on the surviving instance takes the lock within the documented window: dead-after, plus one
 * heartbeat interval (the reaper's period), plus the session's lock-delay. The takeover time is a row of
 * the fault table.
 */
class InstanceFailoverIT {

    private static final Duration DEAD_AFTER = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration LOCK_DELAY = Duration.ofSeconds(1);
    /** Beyond the window: the waiter's own retry (its blocking query wakes on the release) and a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static EmbeddedPostgres postgres;
    private static PackagedInstance instanceA;
    private static PackagedInstance instanceB;

    @BeforeAll
    static void startDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (PackagedInstance instance : new PackagedInstance[] {instanceA, instanceB}) {
            if (instance != null) {
                instance.close();
            }
        }
        postgres.close();
    }

    @Test
    void killingAnInstanceEndsItsSessionsAndTheSurvivorsWaiterTakesTheLock() throws Exception {
        Map<String, String> settings = Map.of("SESSIOND_HEARTBEAT_INTERVAL", HEARTBEAT.toSeconds() + "s",
                "SESSIOND_HEARTBEAT_DEAD_AFTER", DEAD_AFTER.toSeconds() + "s");
        String url = postgres.getJdbcUrl("postgres", "postgres");
        instanceA = PackagedInstance.start("instance-a", url, settings);
        instanceB = PackagedInstance.start("instance-b", url, settings);
        int portA = instanceA.port();
        int portB = instanceB.port();

        String session = api(portA).body("{\"Name\":\"leader on a\",\"LockDelay\":\"" + LOCK_DELAY.toSeconds() + "s\"}")
                .put("/v1/session/create").then().statusCode(200).extract().path("ID");
        api(portA).body("a").put("/v1/kv/service/leader?acquire=" + session).then().statusCode(200).body(equalTo("true"));
        api(portB).get("/v1/session/info/" + session).then().body("[0].Node", equalTo("instance-a"));

        try (NodeScript waiter = NodeScript.start("lock-contender.js", String.valueOf(portB), "service/leader", "waiter",
                "10s", "1s", "300", "0")) {
            waiter.awaitLine("SESSION", LIMIT);
            assertTrue(waiter.awaitLine("ACQUIRED", DEAD_AFTER.plusSeconds(1)).isEmpty(), "the lock was taken while its holder lived");

            long killed = System.currentTimeMillis();
            instanceA.kill();
            long acquired = waiter.awaitTimestamp("ACQUIRED", LIMIT);
            assertEquals(0, waiter.await(LIMIT), waiter.output());

            long takeover = acquired - killed;
            long window = DEAD_AFTER.plus(HEARTBEAT).plus(LOCK_DELAY).toMillis();
            FaultFigures.row("kill -9 of the lock holder's instance (dead-after " + DEAD_AFTER.toSeconds() + " s, heartbeat "
                            + HEARTBEAT.toSeconds() + " s, lock-delay " + LOCK_DELAY.toSeconds() + " s)", "", "", "",
                    "takeover " + takeover + " ms (window " + window + " ms)", "");
            assertTrue(takeover >= DEAD_AFTER.toMillis() - 1000, "took over " + takeover + " ms after the kill");
            assertTrue(takeover < window + SLACK.toMillis(),
                    "took over only " + takeover + " ms after the kill, window " + window + " ms\n" + waiter.output());
        }
        api(portB).get("/v1/session/info/" + session).then().statusCode(200).body(equalTo("[]"));
        api(portB).get("/v1/health/node/instance-a").then()
                .body("find { it.CheckID == 'serfHealth' }.Status", equalTo("critical"));
    }

    private static RequestSpecification api(int port) {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port);
    }
}
