package io.sessiond.consul;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import io.sessiond.testsupport.ParkedQueries;
import io.sessiond.testsupport.TestDatabase;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static io.sessiond.testsupport.ParkedQueries.awaitParked;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking queries: a read with {@code ?index=N} waits for a change past N, however that change was made,
 * without holding a thread (the server's worker pool is small). HTTP only (the parked queries are counted by
 * the server's metrics, the database is reached by URL), so that {@link BlockingQueryIT} runs the same checks
 * against the packaged artifact.
 */
@QuarkusTest
class BlockingQueryTest {

    @TestHTTPResource("/")
    URL server;

    /** The server's worker pool: the same configuration file as the application's. */
    private final int workerThreads = ConfigProvider.getConfig().getValue("quarkus.thread-pool.max-threads", Integer.class);

    /** Far below the five-minute waits: an answer within it was woken by a change. */
    private static final Duration WOKEN_WITHIN = Duration.ofSeconds(60);

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    /**
     * A wait that has less than a millisecond left after the first read still ends: timers cannot be set
     * below a millisecond, and one asked for 0 ms never fired (seen on the native executable, where the
     * first read is fast enough to leave such a remainder of a 1 ms wait).
     */
    @Test
    void aWaitWithLessThanAMillisecondLeftStillAnswers() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int micros = 200; micros <= 3000; micros += 100) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server + "v1/session/list?index=9223372036854775807&wait="
                    + micros + "us")).timeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), "wait " + micros + "us");
        }
    }

    @Test
    void aWriteWakesABlockedKeyRead() throws Exception {
        HttpResponse<String> response = answerAfter(key -> assertTrue(Kv.put(key, "after")));
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"Value\":\"YWZ0ZXI=\""), response.body());
    }

    @Test
    void aDeletionWakesABlockedKeyRead() throws Exception {
        HttpResponse<String> response = answerAfter(key -> given().when().delete("/v1/kv/" + key).then().statusCode(200));
        assertEquals(404, response.statusCode(), response.body());
    }

    /**
     * Writes a key, parks a five-minute blocking read of it, then applies {@code change} to the key: the
     * answer, which must come within {@link #WOKEN_WITHIN} (so the change woke it, not the wait's end) and
     * at a newer index.
     */
    private HttpResponse<String> answerAfter(java.util.function.Consumer<String> change) throws Exception {
        String key = unique("woken");
        assertTrue(Kv.put(key, "before"));
        long index = Kv.modifyIndex(key);
        CompletableFuture<HttpResponse<String>> read = parkedRead(key, index);
        change.accept(key);
        HttpResponse<String> response = read.get(WOKEN_WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertTrue(index(response) > index, "the change's index answers the wait");
        return response;
    }

    /** A five-minute blocking read of {@code key} past {@code index}, returned once the server parked it unanswered. */
    private CompletableFuture<HttpResponse<String>> parkedRead(String key, long index) throws Exception {
        int parkedBefore = ParkedQueries.parkedOnServer();
        CompletableFuture<HttpResponse<String>> read = blockingRead("/v1/kv/" + key + "?index=" + index + "&wait=5m");
        awaitParked(ParkedQueries::parkedOnServer, parkedBefore + 1);
        assertFalse(read.isDone(), "answered before the change");
        return read;
    }

    /** A blocking read sent without waiting for its answer. */
    private CompletableFuture<HttpResponse<String>> blockingRead(String pathAndQuery) throws Exception {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(server.toURI().resolve(pathAndQuery))
                .timeout(Duration.ofMinutes(6)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long index(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
    }

    @Test
    void writesToOtherKeysDoNotEndTheWait() {
        String key = unique("quiet");
        assertTrue(Kv.put(key, "same"));
        long index = Kv.modifyIndex(key);
        later.schedule(() -> Kv.put(unique("noise"), "x"), 200, TimeUnit.MILLISECONDS);

        Instant start = Instant.now();
        Response response = Kv.get(key + "?index=" + index + "&wait=1500ms");
        long elapsed = Duration.between(start, Instant.now()).toMillis();

        assertEquals(index, Kv.index(response), "timed out with the key's unchanged index");
        assertTrue(elapsed >= 1400, "returned after " + elapsed + " ms, before the wait ended");
    }

    @Test
    void theWaitEndsWithTheCurrentAnswer() {
        long index = Long.parseLong(given().when().get("/v1/session/list").header("X-Consul-Index"));
        Instant start = Instant.now();
        Response response = given().when().get("/v1/session/list?index=" + (index + 1_000_000) + "&wait=1s");
        long elapsed = Duration.between(start, Instant.now()).toMillis();
        response.then().statusCode(200);
        assertTrue(elapsed >= 1000 && elapsed < 1000 + 1000 / 16 + 2000, "returned after " + elapsed + " ms");
    }

    @Test
    void aSessionCreateWakesABlockedSessionList() {
        long index = Long.parseLong(given().when().get("/v1/session/list").header("X-Consul-Index"));
        CompletableFuture<String> created = new CompletableFuture<>();
        later.schedule(() -> created.complete(Sessions.create("{}")), 300, TimeUnit.MILLISECONDS);

        Response response = given().when().get("/v1/session/list?index=" + index + "&wait=20s");

        assertTrue(Long.parseLong(response.header("X-Consul-Index")) > index);
        assertTrue(response.jsonPath().getList("ID").contains(created.join()));
    }

    @Test
    void aChangeMadeOutsideThisInstanceWakesTheWait() throws Exception {
        String key = unique("outside");
        assertTrue(Kv.put(key, "before"));
        long index = Kv.modifyIndex(key);
        // What another sessiond instance on the same database does: change the row at a new index in one
        // transaction and notify on commit.
        later.schedule(() -> {
            try (Connection connection = TestDatabase.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                long next;
                try (PreparedStatement bump = connection.prepareStatement("UPDATE table_indexes "
                        + "SET modify_index = (SELECT nextval('change_index')) WHERE table_name = 'kvs' "
                        + "RETURNING modify_index, pg_notify('sessiond_changes', 'kvs:' || modify_index)")) {
                    var rows = bump.executeQuery();
                    rows.next();
                    next = rows.getLong(1);
                }
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE kv_entries SET value = ?, modify_index = ? WHERE key = ?")) {
                    update.setBytes(1, "from elsewhere".getBytes());
                    update.setLong(2, next);
                    update.setString(3, key);
                    update.executeUpdate();
                }
                connection.commit();
            }
            return null;
        }, 300, TimeUnit.MILLISECONDS);

        Response response = Kv.get(key + "?index=" + index + "&wait=20s");

        response.then().statusCode(200).body("[0].Value", equalTo("ZnJvbSBlbHNld2hlcmU="));
        assertTrue(Kv.index(response) > index);
    }

    @Test
    void aThousandWaitersShareASmallWorkerPool() throws Exception {
        String key = unique("crowd");
        assertTrue(Kv.put(key, "before"));
        long index = Kv.modifyIndex(key);
        int waiters = 1000;
        assertTrue(workerThreads < waiters / 10, "the test needs a worker pool far smaller than the waiters");

        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        URI uri = server.toURI().resolve("/v1/kv/" + key + "?index=" + index + "&wait=60s");
        int parkedBefore = ParkedQueries.parkedOnServer();
        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, waiters)
                .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90)).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        awaitParked(ParkedQueries::parkedOnServer, parkedBefore + waiters);
        assertTrue(responses.stream().noneMatch(CompletableFuture::isDone), "waiters returned before the change");

        assertTrue(Kv.put(key, "after"));
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertEquals(200, response.join().statusCode());
            assertTrue(response.join().body().contains("\"Value\":\"YWZ0ZXI=\""), response.join().body());
        }
    }

    @Test
    void badBlockingParametersAre400() {
        given().when().get("/v1/session/list?index=abc").then().statusCode(400).body(equalTo("Invalid index"));
        given().when().get("/v1/session/list?index=1&wait=5").then().statusCode(400).body(equalTo("Invalid wait time"));
        given().when().get("/v1/kv/x?stale&consistent").then().statusCode(400)
                .body(equalTo("Cannot specify ?stale with ?consistent, conflicting semantics."));
        given().when().get("/v1/kv/x?max_stale=abc").then().statusCode(400).body(equalTo("Invalid max_stale value \"abc\""));
        given().when().get("/v1/session/list?stale").then().statusCode(200).header("X-Consul-Effective-Consistency", "stale");
    }
}
