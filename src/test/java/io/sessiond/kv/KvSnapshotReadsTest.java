package io.sessiond.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sessiond.testsupport.Names;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One X-Consul-Index is one state for KV listings: the store's index and its rows come from one snapshot,
 * so no entry of a listing was written after the index the listing is answered with. Reading the index and
 * the rows in two statements let a write commit in between: a listing at index N showed an entry at N+1.
 */
@QuarkusTest
class KvSnapshotReadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITES = 1500;

    @Test
    void noEntryOfAListingIsNewerThanItsIndex() throws Exception {
        String prefix = Names.unique("snapshot") + "/";
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + RestAssured.port + "/v1/kv/" + prefix;
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> newerThanIndex = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(threads.submit(() -> {
                    while (writing.get()) {
                        HttpResponse<String> listing = http.send(HttpRequest.newBuilder(URI.create(base + "?recurse")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (listing.statusCode() != 200) {
                            continue;
                        }
                        long index = Long.parseLong(listing.headers().firstValue("X-Consul-Index").orElseThrow());
                        for (JsonNode entry : JSON.readTree(listing.body())) {
                            if (entry.get("ModifyIndex").asLong() > index) {
                                newerThanIndex.add(entry.get("Key").asText() + " at ModifyIndex " + entry.get("ModifyIndex")
                                        + " in a listing answered with X-Consul-Index " + index);
                            }
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < WRITES; i++) {
                HttpResponse<String> written = http.send(HttpRequest.newBuilder(URI.create(base + "k" + (i % 4)))
                        .PUT(HttpRequest.BodyPublishers.ofString("v" + i)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("true", written.body());
            }
            writing.set(false);
            for (Future<?> reader : readers) {
                reader.get();
            }
        } finally {
            writing.set(false);
            threads.shutdownNow();
        }
        assertTrue(reads.get() > 100, "too few listings to judge: " + reads.get());
        assertEquals(List.of(), newerThanIndex.stream().limit(5).toList(),
                newerThanIndex.size() + " entries newer than their listing's index, in " + reads.get() + " listings");
    }
}
