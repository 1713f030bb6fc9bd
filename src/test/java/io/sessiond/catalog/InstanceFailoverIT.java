package io.sessiond.catalog;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sessiond.testsupport.NodeScript;
import io.sessiond.testsupport.PackagedInstance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged sessiond instances (the jar, or the native executable when built with {@code -Dnative})
 * share one database. One holds a lock through a session made on it and is killed with SIGKILL: the other
 * declares it dead from its stopped heartbeat, which ends its sessions and releases their locks, and a
 * lock waiter on the surviving instance takes the lock.
 */
class InstanceFailoverIT {

    private static final Duration DEAD_AFTER = Duration.ofSeconds(3);
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static EmbeddedPostgres postgres;
    private static final List<Process> instances = new ArrayList<>();

    @BeforeAll
    static void startDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopEverything() throws IOException {
        instances.forEach(Process::destroyForcibly);
        postgres.close();
    }

    @Test
    void killingAnInstanceEndsItsSessionsAndTheSurvivorsWaiterTakesTheLock() throws Exception {
        PackagedInstance instanceA = start("instance-a");
        int portA = instanceA.port();
        int portB = start("instance-b").port();

        String session = api(portA).body("{\"Name\":\"leader on a\",\"LockDelay\":\"1s\"}")
                .put("/v1/session/create").then().statusCode(200).extract().path("ID");
        api(portA).body("a").put("/v1/kv/service/leader?acquire=" + session).then().statusCode(200).body(equalTo("true"));
        api(portB).get("/v1/session/info/" + session).then().body("[0].Node", equalTo("instance-a"));

        try (NodeScript waiter = NodeScript.start("lock-contender.js", String.valueOf(portB), "service/leader", "waiter",
                "10s", "1s", "300", "0")) {
            waiter.awaitLine("SESSION", LIMIT);
            Thread.sleep(DEAD_AFTER.toMillis() + 1000);
            assertTrue(waiter.awaitLine("ACQUIRED", Duration.ZERO).isEmpty(), "the lock was taken while its holder lived");

            long killed = System.currentTimeMillis();
            instanceA.process().destroyForcibly().waitFor();
            long acquired = waiter.awaitTimestamp("ACQUIRED", LIMIT);
            assertEquals(0, waiter.await(LIMIT), waiter.output());

            long takeover = acquired - killed;
            assertTrue(takeover >= DEAD_AFTER.toMillis() - 1000, "took over " + takeover + " ms after the kill");
            assertTrue(takeover < DEAD_AFTER.toMillis() + 2 * 1000 + 1000 + 10_000,
                    "took over only " + takeover + " ms after the kill\n" + waiter.output());
        }
        api(portB).get("/v1/session/info/" + session).then().statusCode(200).body(equalTo("[]"));
        api(portB).get("/v1/health/node/instance-a").then()
                .body("find { it.CheckID == 'serfHealth' }.Status", equalTo("critical"));
    }

    private static PackagedInstance start(String node) throws Exception {
        PackagedInstance instance = PackagedInstance.start(node, postgres.getJdbcUrl("postgres", "postgres"), Map.of(
                "SESSIOND_HEARTBEAT_INTERVAL", "1s",
                "SESSIOND_HEARTBEAT_DEAD_AFTER", DEAD_AFTER.toSeconds() + "s"));
        instances.add(instance.process());
        return instance;
    }

    private static RequestSpecification api(int port) {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port);
    }
}
