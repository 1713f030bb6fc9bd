package io.sessiond.consul;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Waits;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static io.sessiond.testsupport.Names.unique;
import static io.sessiond.testsupport.ParkedQueries.answers;
import static io.sessiond.testsupport.ParkedQueries.awaitParked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiters of the same read woken by the same change share one database read: a write wakes every waiter
 * of the table, and each key they wait on is read once, however many wait on it.
 */
@QuarkusTest
class SharedBlockingReadsTest {

    private static final int WAITERS_PER_KEY = 200;

    @TestHTTPResource("/")
    URL server;

    @Inject
    SharedReads sharedReads;

    @Inject
    BlockingQuery blockingQuery;

    private final HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();

    @Test
    void manyWaitersOfOneKeyCostOneReadAndAllGetTheNewValue() throws Exception {
        String changed = unique("shared");
        String other = unique("shared-other");
        assertTrue(Kv.put(changed, "before"));
        assertTrue(Kv.put(other, "before"));
        List<CompletableFuture<HttpResponse<String>>> ofChanged = park("/v1/kv/" + changed + "?index=" + Kv.modifyIndex(changed) + "&wait=60s");
        List<CompletableFuture<HttpResponse<String>>> ofOther = park("/v1/kv/" + other + "?index=" + Kv.modifyIndex(other) + "&wait=60s");
        awaitParked(blockingQuery::parked, 2 * WAITERS_PER_KEY);
        assertTrue(ofChanged.stream().noneMatch(CompletableFuture::isDone), "waiters returned before the change");
        long readsBefore = sharedReads.reads();

        assertTrue(Kv.put(changed, "after"));

        for (HttpResponse<String> response : answers(ofChanged)) {
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"Value\":\"YWZ0ZXI=\""), response.body());
        }
        Waits.throughout(Duration.ofMillis(500),
                () -> assertTrue(ofOther.stream().noneMatch(CompletableFuture::isDone), "waiters of an unchanged key were answered"));
        // The write woke all 400: one read of the changed key, one of the other (which then waits again).
        assertEquals(2, sharedReads.reads() - readsBefore, "database reads for " + 2 * WAITERS_PER_KEY + " woken waiters");

        assertTrue(Kv.put(other, "after"));
        for (HttpResponse<String> response : answers(ofOther)) {
            assertTrue(response.body().contains("\"Value\":\"YWZ0ZXI=\""), response.body());
        }
        assertEquals(3, sharedReads.reads() - readsBefore);
    }

    @Test
    void differentQueriesOfOneKeyReadSeparatelyAndEachGetsItsOwnAnswer() throws Exception {
        String key = unique("shapes");
        assertTrue(Kv.put(key, "before"));
        long index = Kv.modifyIndex(key);
        Map<String, List<CompletableFuture<HttpResponse<String>>>> byQuery = Map.of(
                "", park("/v1/kv/" + key + "?index=" + index + "&wait=60s"),
                "raw", park("/v1/kv/" + key + "?raw&index=" + index + "&wait=60s"),
                "keys", park("/v1/kv/" + key + "?keys&index=" + index + "&wait=60s"));
        awaitParked(blockingQuery::parked, 3 * WAITERS_PER_KEY);
        long readsBefore = sharedReads.reads();

        assertTrue(Kv.put(key, "after"));

        answers(byQuery.get("")).forEach(response -> assertTrue(response.body().contains("\"Value\":\"YWZ0ZXI=\""), response.body()));
        answers(byQuery.get("raw")).forEach(response -> assertEquals("after", response.body()));
        answers(byQuery.get("keys")).forEach(response -> assertEquals("[\"" + key + "\"]", response.body()));
        // ?raw reads what the plain read reads, but the identity of a read is its whole query.
        assertEquals(3, sharedReads.reads() - readsBefore);
    }

    private List<CompletableFuture<HttpResponse<String>>> park(String pathAndQuery) throws Exception {
        URI uri = server.toURI().resolve(pathAndQuery);
        return IntStream.range(0, WAITERS_PER_KEY)
                .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90)).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
    }
}
