package io.sessiond.fault;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.testsupport.FaultFigures;
import io.sessiond.testsupport.PackagedInstance;
import io.sessiond.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While PostgreSQL is down, every route of every dialect answers 503 with {@code Retry-After} at once, its
 * body in the dialect's format naming the cause; {@code /v1/status/leader} answers {@code ""}; a blocking
 * query in flight answers its last state when its wait runs out. When PostgreSQL is back after an outage
 * longer than a session's life (TTL x 2) and than dead-after, the session and its lock are still there and
 * both instances' nodes still pass: the outage's length was not counted against them.
 */
class DatabaseOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Sessions of TTL 2 s live 4 s without a renewal; instances are dead 5 s after their last heartbeat. The
     * debug lines say what ended a session, should one end.
     */
    private static final Map<String, String> SETTINGS = Map.of("SESSIOND_SESSION_TTL_MIN", "1s",
            "SESSIOND_HEARTBEAT_INTERVAL", "1s", "SESSIOND_HEARTBEAT_DEAD_AFTER", "5s",
            "SESSIOND_HEARTBEAT_OUTAGE_AFTER", "2s", "QUARKUS_LOG_CATEGORY__IO_SESSIOND__LEVEL", "DEBUG");
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    /**
     * The pool's acquisition timeout (2 s) bounds a request's wait for the database, though a request may
     * wait for it about twice on a loaded machine; the bound refuses what matters, a request held for the
     * driver's or a pool's long timeouts (10 s, 30 s).
     */
    private static final long MAX_503_MILLIS = 8000;

    private static final String CONSUL = "text/plain";
    private static final String JSON_API = "application/vnd.api+json";

    private record Route(String method, String path, String body, String contentType) {
    }

    private static PostgresServer postgres;
    private static PackagedInstance a;
    private static PackagedInstance b;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.primary();
        a = PackagedInstance.start("outage-a", postgres.jdbcUrl(), SETTINGS);
        b = PackagedInstance.start("outage-b", postgres.jdbcUrl(), SETTINGS);
        // Until an instance's first heartbeat the cluster's clock keeps the schema's outage-after (5 s), longer
        // than these sessions live: an outage that began before it (the native executables start in a
        // fraction of a second) would have let the session expire before the clock stopped.
        a.awaitReady(Duration.ofSeconds(10));
        b.awaitReady(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, postgres}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void everyRouteAnswers503WhileTheDatabaseIsDownAndNothingExpiresForTheOutage() throws Exception {
        String session = JSON.readTree(send(a, "PUT", "/v1/session/create", "{\"TTL\":\"2s\",\"LockDelay\":\"0s\"}").body())
                .get("ID").asText();
        assertEquals("true", send(a, "PUT", "/v1/kv/outage/leader?acquire=" + session, "a").body());
        HttpResponse<String> before = send(b, "GET", "/v1/kv/outage/leader", "");
        String index = before.headers().firstValue("X-Consul-Index").orElseThrow();
        CompletableFuture<HttpResponse<String>> blocking = http.sendAsync(HttpRequest.newBuilder(
                URI.create(b.baseUrl() + "/v1/kv/outage/leader?index=" + index + "&wait=4s")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, send(a, "PUT", "/v1/session/renew/" + session, "").statusCode());

        postgres.stop("fast");
        long stopped = System.nanoTime();
        List<Route> routes = List.of(
                new Route("GET", "/v1/kv/outage/leader", "", CONSUL),
                new Route("PUT", "/v1/kv/outage/other", "x", CONSUL),
                new Route("PUT", "/v1/session/create", "{}", CONSUL),
                new Route("PUT", "/v1/session/renew/" + session, "", CONSUL),
                new Route("GET", "/v1/session/list", "", CONSUL),
                new Route("GET", "/v1/catalog/nodes", "", CONSUL),
                new Route("GET", "/v1/health/state/any", "", CONSUL),
                new Route("GET", "/v1/agent/self", "", CONSUL),
                new Route("GET", "/v1/sessions", "", JSON_API),
                new Route("GET", "/v1/services", "", JSON_API),
                new Route("GET", "/v1/admin/web-sessions", "", JSON_API),
                new Route("POST", "/v1/web-sessions", "{\"data\":{\"type\":\"web-sessions\"}}", JSON_API));
        long slowest = 0;
        for (PackagedInstance instance : List.of(a, b)) {
            for (Route route : routes) {
                long sent = System.nanoTime();
                HttpResponse<String> answer = send(instance, route.method(), route.path(), route.body());
                long millis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
                String what = route.method() + " " + route.path() + " on " + instance.node();
                assertEquals(503, answer.statusCode(), what + ": " + answer.body());
                assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null), what);
                assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith(route.contentType()), what);
                assertTrue(answer.body().contains("Database unavailable: "), what + ": " + answer.body());
                if (route.contentType().equals(JSON_API)) {
                    assertEquals("503", JSON.readTree(answer.body()).at("/errors/0/status").asText(), what);
                }
                assertTrue(millis < MAX_503_MILLIS, what + " took " + millis + " ms");
                slowest = Math.max(slowest, millis);
            }
            await(() -> send(instance, "GET", "/v1/status/leader", "").body().equals("\"\""), Duration.ofSeconds(5),
                    "/v1/status/leader on " + instance.node() + " still names a leader");
        }
        FaultFigures.row("PostgreSQL down: " + routes.size() + " routes of the 3 APIs on 2 instances", "", "",
                "all 503 with Retry-After", "slowest 503 " + slowest + " ms", "");
        HttpResponse<String> lastState = blocking.get(30, TimeUnit.SECONDS);
        assertEquals(200, lastState.statusCode(), lastState.body());
        assertEquals(index, lastState.headers().firstValue("X-Consul-Index").orElseThrow());

        while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
            Thread.sleep(100);
        }
        postgres.start();
        long ready = System.nanoTime();
        await(() -> send(a, "GET", "/v1/kv/outage/leader", "").statusCode() == 200, Duration.ofSeconds(2),
                "no success within 2 s of PostgreSQL being ready");
        long firstSuccess = Duration.ofNanos(System.nanoTime() - ready).toMillis();

        // Longer than dead-after and than the session's life: what the outage did not end stays.
        long watchUntil = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < watchUntil) {
            for (PackagedInstance instance : List.of(a, b)) {
                assertEquals(session, JSON.readTree(send(instance, "GET", "/v1/kv/outage/leader", "").body()).get(0)
                        .path("Session").asText(), () -> "the lock was released after the outage (first success "
                        + firstSuccess + " ms after ready)\n" + logs());
                for (String node : List.of(a.node(), b.node())) {
                    String health = send(instance, "GET", "/v1/health/node/" + node, "").body();
                    assertTrue(health.contains("\"Status\":\"passing\""), node + " was declared dead after the outage: " + health
                            + "\n" + instance.log());
                }
            }
            assertEquals(200, send(a, "PUT", "/v1/session/renew/" + session, "").statusCode(),
                    "the session ended after the outage (first success " + firstSuccess + " ms after ready)\n" + logs());
            Thread.sleep(100);
        }
        assertTrue(a.log().contains("pushed") || b.log().contains("pushed"), "no instance reported the grace it applied");
        for (PackagedInstance instance : List.of(a, b)) {
            // The background jobs waited quietly: readiness reports the outage, not a stack trace a second.
            assertFalse(instance.log().contains("Error occurred while executing task"), instance.log());
        }
    }

    /** Both instances' logs without stack frames: the sessiond debug lines say what ended a session and why. */
    private static String logs() {
        StringBuilder logs = new StringBuilder();
        for (PackagedInstance instance : List.of(a, b)) {
            logs.append("--- ").append(instance.node()).append(":\n");
            instance.log().lines().filter(line -> !line.startsWith("\tat ") && !line.startsWith("\t... "))
                    .forEach(line -> logs.append(line).append('\n'));
        }
        return logs.toString();
    }

    private HttpResponse<String> send(PackagedInstance instance, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, Duration limit, String failure) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.holds()) {
            assertTrue(System.nanoTime() < deadline, failure);
            Thread.sleep(50);
        }
    }
}
