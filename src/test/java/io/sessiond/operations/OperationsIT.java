package io.sessiond.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.testsupport.PackagedInstance;
import io.sessiond.testsupport.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator sees of a packaged instance (the jar, or the native executable with {@code -Dnative}):
 * readiness that follows the database, a SIGTERM that answers every parked blocking query and leaves the node
 * as {@code sessiond.on-shutdown} says, and a log, in JSON, that carries no secret.
 */
class OperationsIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int PARKED = 20;

    private static EmbeddedPostgres postgres;
    private static final List<PackagedInstance> instances = new ArrayList<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (PackagedInstance instance : instances) {
            instance.kill();
        }
        postgres.close();
    }

    @Test
    void readinessGoesDownWhileTheDatabaseIsUnreachableAndUpWhenItReturnsWithoutARestart() throws Exception {
        Path data = Files.createTempDirectory("sessiond-outage-db");
        int databasePort = PackagedInstance.freePort();
        EmbeddedPostgres database = outageDatabase(data, databasePort);
        try {
            PackagedInstance instance = started(PackagedInstance.start("outage", database.getJdbcUrl("postgres", "postgres"),
                    Map.of("SESSIOND_HEARTBEAT_INTERVAL", "1s", "SESSIOND_HEARTBEAT_DEAD_AFTER", "4s")));
            awaitStatus(instance, "/q/health/ready", status -> status == 200);
            long pid = instance.process().pid();

            database.close();
            awaitStatus(instance, "/q/health/ready", status -> status == 503);
            instance.api().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'database' }.status", equalTo("DOWN"));
            instance.api().get("/q/health/live").then().statusCode(200);

            database = outageDatabase(data, databasePort);
            awaitStatus(instance, "/q/health/ready", status -> status == 200);
            assertTrue(instance.process().isAlive());
            assertEquals(pid, instance.process().pid());
        } finally {
            database.close();
        }
    }

    @ParameterizedTest(name = "on-shutdown {0}")
    @ValueSource(strings = {"keep", "leave", "deregister"})
    void sigtermTurnsReadinessDownAnswersEveryParkedQueryAndHandlesTheNode(String onShutdown) throws Exception {
        String node = "shutdown-" + onShutdown;
        PackagedInstance instance = started(PackagedInstance.start(node, postgres.getJdbcUrl("postgres", "postgres"), Map.of(
                "SESSIOND_ON_SHUTDOWN", onShutdown,
                // Long enough to see readiness DOWN while the instance still serves, as a load balancer would.
                "QUARKUS_SHUTDOWN_DELAY", "1s")));
        String session = instance.api().body("{\"Name\":\"" + node + "\"}").put("/v1/session/create")
                .then().statusCode(200).extract().path("ID");
        String key = node + "/leader";
        instance.api().body("me").put("/v1/kv/" + key + "?acquire=" + session).then().statusCode(200).body(equalTo("true"));
        String index = instance.api().get("/v1/kv/" + key).then().statusCode(200).extract().header("X-Consul-Index");

        List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
        for (int i = 0; i < PARKED; i++) {
            parked.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port()
                    + "/v1/kv/" + key + "?index=" + index + "&wait=5m")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        awaitParked(instance, PARKED);

        long terminated = System.nanoTime();
        instance.terminate();
        awaitStatus(instance, "/q/health/ready", status -> status == 503);
        for (CompletableFuture<HttpResponse<String>> query : parked) {
            HttpResponse<String> answer = query.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(index, answer.headers().firstValue("X-Consul-Index").orElse(""));
            assertTrue(answer.body().contains("\"Key\":\"" + key + "\""), answer.body());
        }
        assertTrue(System.nanoTime() - terminated < TimeUnit.SECONDS.toNanos(30),
                "the parked queries were answered only after the shutdown timeout");
        assertTrue(instance.process().waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "still running:\n" + instance.log());

        long nodes = Sql.count(postgres.getPostgresDatabase(), "SELECT count(*) FROM nodes WHERE name = ?", node);
        long passing = Sql.count(postgres.getPostgresDatabase(),
                "SELECT count(*) FROM checks WHERE node = ? AND check_id = 'serfHealth' AND status = 'passing'", node);
        long sessions = Sql.count(postgres.getPostgresDatabase(), "SELECT count(*) FROM sessions WHERE node = ?", node);
        switch (onShutdown) {
            case "keep" -> assertEquals(List.of(1L, 1L, 1L), List.of(nodes, passing, sessions));
            case "leave" -> assertEquals(List.of(1L, 0L, 0L), List.of(nodes, passing, sessions));
            case "deregister" -> assertEquals(List.of(0L, 0L, 0L), List.of(nodes, passing, sessions));
            default -> throw new IllegalArgumentException(onShutdown);
        }
    }

    /**
     * A run that uses every kind of secret (the database password, an ACL token in the query and in a header,
     * a web session's cookie and ID, the cookie signing secret, the initial management token), with the
     * access log on and debug logging: no line of its log, which is JSON, carries any of them.
     */
    @Test
    void theLogIsJsonWithOneStartLineAndCarriesNoSecret() throws Exception {
        String password = "db-password-" + UUID.randomUUID();
        String managementToken = UUID.randomUUID().toString();
        String signingSecret = "signing-secret-" + UUID.randomUUID();
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE sessiond_logs LOGIN SUPERUSER PASSWORD '" + password + "'");
        }
        PackagedInstance instance = started(PackagedInstance.start("logs", postgres.getJdbcUrl("postgres", "postgres"), Map.of(
                "QUARKUS_DATASOURCE_USERNAME", "sessiond_logs",
                "QUARKUS_DATASOURCE_PASSWORD", password,
                "SESSIOND_ACL_ENABLED", "true",
                "SESSIOND_ACL_DEFAULT_POLICY", "deny",
                "SESSIOND_ACL_INITIAL_MANAGEMENT_TOKEN", managementToken,
                "SESSIOND_WEB_SIGNING_SECRETS", signingSecret,
                "SESSIOND_ACCESS_LOG_ENABLED", "true",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true",
                "QUARKUS_LOG_CATEGORY__IO_SESSIOND__LEVEL", "DEBUG")));

        instance.api().get("/v1/kv/anything?token=" + managementToken).then().statusCode(404);
        instance.api().header("X-Consul-Token", managementToken).get("/v1/agent/self").then().statusCode(200);
        instance.api().get("/v1/agent/self").then().statusCode(403);
        io.restassured.response.Response created = instance.api().header("X-Consul-Token", managementToken)
                .body("{\"data\":{\"user\":\"alice\"}}").contentType("application/json").post("/v1/web-sessions");
        created.then().statusCode(201);
        String webSessionId = created.path("id");
        String cookie = created.path("cookie");
        instance.api().header("X-Consul-Token", managementToken).header("X-Session-Cookie", cookie)
                .get("/v1/web-sessions/current").then().statusCode(200);
        instance.api().header("Authorization", "Bearer " + managementToken)
                .get("/v1/web-sessions/" + webSessionId).then().statusCode(200);
        awaitLogged(instance, "/v1/web-sessions/<hidden>");
        instance.terminate();
        instance.process().waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);

        String log = instance.log();
        ObjectMapper json = new ObjectMapper();
        List<String> messages = new ArrayList<>();
        for (String line : log.lines().filter(line -> !line.isBlank()).toList()) {
            messages.add(json.readTree(line).path("message").asText());
        }
        for (String secret : List.of(password, managementToken, signingSecret, cookie, webSessionId)) {
            assertFalse(log.contains(secret), "a secret (" + secret + ") in the log:\n" + log);
        }
        assertEquals(1, messages.stream().filter(message -> message.startsWith("sessiond ")
                && message.contains("node logs") && message.contains("as sessiond_logs")).count(), String.join("\n", messages));
        assertTrue(messages.stream().anyMatch(message -> message.contains("GET /v1/kv/anything?token=<hidden> 404")),
                String.join("\n", messages));
    }

    private static PackagedInstance started(PackagedInstance instance) {
        instances.add(instance);
        return instance;
    }

    /** A database that survives its own stop: the same directory and port when started again. */
    private static EmbeddedPostgres outageDatabase(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static void awaitStatus(PackagedInstance instance, String path, IntPredicate wanted) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        int status;
        do {
            status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (wanted.test(status)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " answered " + status + " until the deadline:\n" + instance.log());
    }

    /** Until the instance's own gauge counts {@code count} parked blocking queries. */
    private static void awaitParked(PackagedInstance instance, int count) throws Exception {
        Pattern gauge = Pattern.compile("(?m)^sessiond_blocking_parked (\\S+)$");
        long deadline = System.nanoTime() + LIMIT.toNanos();
        double parked = 0;
        while (System.nanoTime() < deadline) {
            Matcher line = gauge.matcher(instance.api().get("/q/metrics").then().extract().asString());
            parked = line.find() ? Double.parseDouble(line.group(1)) : 0;
            if (parked >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(parked + " parked queries, not " + count);
    }

    private static void awaitLogged(PackagedInstance instance, String text) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!instance.log().contains(text)) {
            assertTrue(System.nanoTime() < deadline, text + " never logged:\n" + instance.log());
            Thread.sleep(50);
        }
    }
}
