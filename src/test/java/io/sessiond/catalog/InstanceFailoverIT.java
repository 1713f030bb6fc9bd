package io.sessiond.catalog;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sessiond.testsupport.NodeScript;
import io.sessiond.testsupport.PackagedArtifact;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged sessiond instances (the artifact of the current build: the jar, or the native executable when
 * built with {@code -Dnative}; never a stale one, see {@link PackagedArtifact})
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
        int portA = freePort();
        int portB = freePort();
        Process instanceA = start("instance-a", portA);
        awaitServing(portA);
        start("instance-b", portB);
        awaitServing(portB);

        String session = api(portA).body("{\"Name\":\"leader on a\",\"LockDelay\":\"1s\"}")
                .put("/v1/session/create").then().statusCode(200).extract().path("ID");
        api(portA).body("a").put("/v1/kv/service/leader?acquire=" + session).then().statusCode(200).body(equalTo("true"));
        api(portB).get("/v1/session/info/" + session).then().body("[0].Node", equalTo("instance-a"));

        try (NodeScript waiter = NodeScript.start("lock-contender.js", String.valueOf(portB), "service/leader", "waiter",
                "10s", "1s", "300", "0")) {
            waiter.awaitLine("SESSION", LIMIT);
            assertTrue(waiter.awaitLine("ACQUIRED", DEAD_AFTER.plusSeconds(1)).isEmpty(), "the lock was taken while its holder lived");

            long killed = System.currentTimeMillis();
            instanceA.destroyForcibly().waitFor();
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

    private static Process start(String node, int port) throws IOException {
        Path log = Files.createTempFile("sessiond-" + node, ".log");
        ProcessBuilder builder = new ProcessBuilder(PackagedArtifact.command()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"));
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("SESSIOND_NODE_NAME", node);
        // The instances run in the prod profile, which has no signing secret of its own.
        env.put("SESSIOND_WEB_SIGNING_SECRETS", "failover-test-secret-not-a-secret");
        env.put("SESSIOND_HEARTBEAT_INTERVAL", "1s");
        env.put("SESSIOND_HEARTBEAT_DEAD_AFTER", DEAD_AFTER.toSeconds() + "s");
        Process process = builder.start();
        instances.add(process);
        return process;
    }

    private static void awaitServing(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(LIMIT);
        while (true) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/status/leader")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertTrue(Instant.now().isBefore(deadline), "instance on port " + port + " did not start");
            Thread.sleep(100);
        }
    }

    private static RequestSpecification api(int port) {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
