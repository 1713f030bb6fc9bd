package io.sessiond.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.testsupport.FaultFigures;
import io.sessiond.testsupport.PackagedInstance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual exclusion under contention: three packaged instances on one database, 64 clients spread over them
 * acquiring (as Go's api.Lock does: a blocking query until the key is free, then acquire), holding and
 * releasing one key with sessions of lock-delay 0, for {@code fault.mutex.seconds}
 * (20 s by default in the build; 60 s is the figure). No two clients ever hold the key at once:
 * each holding, from the acquire's answer to the release's request, lies inside the server's own holding,
 * so no two may overlap; and each holder reads the key as its own, at a {@code LockIndex} above every earlier
 * holder's. The acquisition rate is a row of the fault table.
 */
class MutualExclusionIT {

    private static final int CLIENTS = 64;
    private static final String KEY = "/v1/kv/mutex/leader";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedPostgres postgres;
    private static final List<PackagedInstance> instances = new ArrayList<>();

    /** One holding as its client saw it: acquired (answer received) to released (request about to be sent). */
    private record Holding(int client, long acquiredNanos, long releasedNanos, long lockIndex) {
    }

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        for (String node : List.of("mutex-a", "mutex-b", "mutex-c")) {
            instances.add(PackagedInstance.start(node, url, Map.of()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (PackagedInstance instance : instances) {
            instance.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void noTwoClientsEverHoldTheLockAtOnce() throws Exception {
        Duration duration = Duration.ofSeconds(Long.getLong("fault.mutex.seconds", 20));
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
        ConcurrentLinkedQueue<Holding> holdings = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicLong unavailable = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            int id = client;
            String base = instances.get(client % instances.size()).baseUrl();
            running.add(clients.submit(() -> {
                String session = JSON.readTree(send(http, base, "PUT", "/v1/session/create",
                        "{\"Name\":\"mutex client " + id + "\",\"LockDelay\":\"0s\"}").body()).get("ID").asText();
                // Go's api.Lock: wait with a blocking query until the key is free, then try to acquire it.
                String index = "0";
                while (System.nanoTime() < end) {
                    HttpResponse<String> read = send(http, base, "GET", KEY + "?index=" + index + "&wait=2s", "");
                    if (read.statusCode() != 200 && read.statusCode() != 404) {
                        unavailable.incrementAndGet();
                        Thread.sleep(50);
                        continue;
                    }
                    index = read.headers().firstValue("X-Consul-Index").orElse("0");
                    if (read.statusCode() == 200 && !JSON.readTree(read.body()).get(0).path("Session").asText().isEmpty()) {
                        continue;
                    }
                    HttpResponse<String> acquired = send(http, base, "PUT", KEY + "?acquire=" + session, "client " + id);
                    if (!"true".equals(acquired.body())) {
                        if (acquired.statusCode() != 200) {
                            unavailable.incrementAndGet();
                        }
                        continue;
                    }
                    long acquiredNanos = System.nanoTime();
                    JsonNode entry = JSON.readTree(send(http, base, "GET", KEY, "").body()).get(0);
                    if (!session.equals(entry.path("Session").asText())) {
                        violations.add("client " + id + " acquired, then read the key held by " + entry.path("Session"));
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextInt(0, 3));
                    long releasedNanos = System.nanoTime();
                    holdings.add(new Holding(id, acquiredNanos, releasedNanos, entry.path("LockIndex").asLong()));
                    // A release that failed (a 503 under load) is tried again: the client still holds the lock.
                    while (!"true".equals(send(http, base, "PUT", KEY + "?release=" + session, "").body())) {
                        unavailable.incrementAndGet();
                        Thread.sleep(50);
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
        }
        clients.shutdown();

        List<Holding> ordered = new ArrayList<>(holdings);
        ordered.sort(Comparator.comparingLong(Holding::acquiredNanos));
        long overlaps = 0;
        long lockIndexOutOfOrder = 0;
        for (int i = 1; i < ordered.size(); i++) {
            Holding previous = ordered.get(i - 1);
            Holding next = ordered.get(i);
            if (next.acquiredNanos() < previous.releasedNanos()) {
                overlaps++;
                violations.add("clients " + previous.client() + " and " + next.client() + " held the lock at once");
            }
            if (next.lockIndex() <= previous.lockIndex()) {
                lockIndexOutOfOrder++;
                violations.add("LockIndex " + next.lockIndex() + " of client " + next.client() + " after " + previous.lockIndex());
            }
        }
        double rate = ordered.size() / (double) duration.toSeconds();
        FaultFigures.row("mutual exclusion: 3 instances, " + CLIENTS + " clients, " + duration.toSeconds() + " s, lock-delay 0",
                "", "", unavailable.get() + " (503, retried)", String.format(
                        "%d acquisitions, %.1f/s; overlapping holders %d; LockIndex out of order %d", ordered.size(), rate,
                        overlaps, lockIndexOutOfOrder), "");
        assertTrue(violations.isEmpty(), violations.size() + " violations, first: " + violations.stream().limit(5).toList());
        // Every acquisition races up to 63 others through the KV index's row lock, slow on two shared cores: the
        // rate is printed; what is checked is that there are holdings to compare at all.
        assertTrue(ordered.size() >= 2, "only " + ordered.size() + " acquisitions");
        assertEquals(0, overlaps);
    }

    private static HttpResponse<String> send(HttpClient http, String base, String method, String path, String body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
