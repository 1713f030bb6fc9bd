package io.sessiond.consul;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Kv;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.sessiond.testsupport.Names.unique;
import static io.sessiond.testsupport.ParkedQueries.awaitParked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that gives up on a blocking query (the CLI's lock watch when its child exits) cancels it: over
 * HTTP/1.1 by closing its connection, over HTTP/2 by resetting its stream and keeping the connection for its
 * other requests. When a change then wakes the query, the other queries of the same read (on the same
 * connection, with HTTP/2) are answered, and the connection goes on serving.
 */
@QuarkusTest
class AbandonedBlockingQueryTest {

    @TestHTTPResource("/")
    URL server;

    @Inject
    BlockingQuery blockingQuery;

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void aCancelledQueryIsDroppedAndTheOthersOnItsConnectionAreAnswered(HttpClient.Version version) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(version).executor(Executors.newFixedThreadPool(2)).build();
        String key = unique("abandoned");
        assertTrue(Kv.put(key, "before"));
        // The first request upgrades the connection to HTTP/2 (h2c) when asked; the later ones share it.
        assertEquals(200, get(client, "/v1/kv/" + key).statusCode());
        String blocking = "/v1/kv/" + key + "?index=" + Kv.modifyIndex(key) + "&wait=60s";
        int parkedBefore = blockingQuery.parked();
        CompletableFuture<HttpResponse<String>> abandoned = client.sendAsync(request(blocking), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> kept = client.sendAsync(request(blocking), HttpResponse.BodyHandlers.ofString());
        awaitParked(blockingQuery::parked, parkedBefore + 2);

        abandoned.cancel(true);
        assertTrue(Kv.put(key, "after"));

        HttpResponse<String> answer = kept.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"Value\":\"YWZ0ZXI=\""), answer.body());
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get(client, "/v1/kv/" + key).statusCode());
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(server.toString()).resolve(path)).GET().build();
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(request(path), HttpResponse.BodyHandlers.ofString());
    }
}
