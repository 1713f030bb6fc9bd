package io.sessiond.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load the fault tests run while PostgreSQL restarts or fails over: writers that each hold a session (TTL
 * 10 s, lock-delay 0) and a lock with it, renew it, write KV keys one after the other and create and destroy
 * short-lived sessions, across the given instances. Every write answered 200 {@code true} is recorded, every
 * failure by its status; afterwards {@link #figures} reads every acknowledged write back and checks that each
 * writer's session and lock outlived the fault.
 */
public final class FaultLoad implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final long RENEW_EVERY_NS = Duration.ofSeconds(2).toNanos();
    private static final long PACE_MS = 20;
    private static final long RETRY_PAUSE_MS = 50;

    private final String prefix;
    private final List<String> baseUrls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<Long> successes = new ConcurrentSkipListSet<>();
    private final AtomicLong renewalsRefused = new AtomicLong();
    private final Map<Integer, String> sessions = new ConcurrentHashMap<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    /** Starts {@code writerCount} writers under KV prefix {@code prefix}, spread over {@code baseUrls}. */
    public static FaultLoad start(String prefix, int writerCount, List<String> baseUrls) throws InterruptedException {
        FaultLoad load = new FaultLoad(prefix, baseUrls);
        for (int writer = 0; writer < writerCount; writer++) {
            int id = writer;
            Thread thread = new Thread(() -> load.write(id), "fault-writer-" + writer);
            thread.setDaemon(true);
            load.writers.add(thread);
            thread.start();
        }
        // Running once every writer holds its session and lock.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (load.sessions.size() < writerCount || load.acknowledged.size() < writerCount) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writers did not start: failures " + load.failures);
            }
            Thread.sleep(20);
        }
        return load;
    }

    private FaultLoad(String prefix, List<String> baseUrls) {
        this.prefix = prefix;
        this.baseUrls = baseUrls;
    }

    private void write(int writer) {
        String base = baseUrls.get(writer % baseUrls.size());
        String lockKey = prefix + "/lock/" + writer;
        String session = null;
        boolean locked = false;
        long renewedAt = 0;
        long sequence = 0;
        while (running) {
            try {
                if (session == null) {
                    Answer created = call(base, "PUT", "/v1/session/create",
                            "{\"Name\":\"fault writer " + writer + "\",\"TTL\":\"10s\",\"LockDelay\":\"0s\"}");
                    if (created.status != 200) {
                        continue;
                    }
                    session = JSON.readTree(created.body).get("ID").asText();
                    sessions.put(writer, session);
                    renewedAt = System.nanoTime();
                }
                if (!locked) {
                    Answer acquired = call(base, "PUT", "/v1/kv/" + lockKey + "?acquire=" + session, "writer " + writer);
                    if (acquired.status != 200) {
                        continue;
                    }
                    if (!acquired.body.equals("true")) {
                        throw new IllegalStateException("writer " + writer + " could not take its own lock: " + acquired.body);
                    }
                    locked = true;
                }
                if (System.nanoTime() - renewedAt > RENEW_EVERY_NS) {
                    Answer renewed = call(base, "PUT", "/v1/session/renew/" + session, "");
                    if (renewed.status == 404) {
                        // The session ended: the fault invalidated it. A new one takes the lock again.
                        renewalsRefused.incrementAndGet();
                        session = null;
                        locked = false;
                        continue;
                    }
                    if (renewed.status == 200) {
                        renewedAt = System.nanoTime();
                    }
                }
                if (sequence % 25 == 0) {
                    Answer shortLived = call(base, "PUT", "/v1/session/create", "{\"Name\":\"short\",\"TTL\":\"10s\"}");
                    if (shortLived.status == 200) {
                        call(base, "PUT", "/v1/session/destroy/" + JSON.readTree(shortLived.body).get("ID").asText(), "");
                    }
                }
                String key = prefix + "/kv/" + writer + "/" + sequence;
                String value = "value " + sequence + " of writer " + writer;
                Answer written = call(base, "PUT", "/v1/kv/" + key, value);
                if (written.status == 200 && written.body.equals("true")) {
                    acknowledged.put(key, value);
                    sequence++;
                    Thread.sleep(PACE_MS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // An answer that is not JSON: recorded as a failure by call(); try again.
            }
        }
    }

    private record Answer(int status, String body) {
    }

    /** One request; a status other than 200 (or none) is recorded as a failure and followed by a short pause. */
    private Answer call(String base, String method, String path, String body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        Answer answer;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            answer = new Answer(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            answer = new Answer(-1, "timeout");
        } catch (IOException e) {
            answer = new Answer(-2, e.toString());
        }
        if (answer.status == 200) {
            successes.add(System.nanoTime());
            return answer;
        }
        if (answer.status == 404 && path.startsWith("/v1/session/renew/")) {
            // Not a failure of the request: the session is gone (counted by the writer).
            return answer;
        }
        String kind = switch (answer.status) {
            case -1 -> "timeout";
            case -2 -> "no connection";
            default -> String.valueOf(answer.status);
        };
        failures.computeIfAbsent(kind, ignored -> new AtomicLong()).incrementAndGet();
        Thread.sleep(RETRY_PAUSE_MS);
        return answer;
    }

    /** Milliseconds from {@code readyNanos} (System.nanoTime) to the first request answered after it. */
    public long millisToFirstSuccessAfter(long readyNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Long first = successes.ceiling(readyNanos);
            if (first != null) {
                return Duration.ofNanos(first - readyNanos).toMillis();
            }
            if (System.nanoTime() > deadline) {
                return Long.MAX_VALUE;
            }
            Thread.sleep(20);
        }
    }

    /** Lets the writers write for a while: {@code duration}, polled so that no sleep is long. */
    public void runFor(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    /**
     * Stops the writers and reads everything back through {@code readUrl}: acknowledged writes missing or
     * different (lost), and writers whose session or lock did not survive (invalidated).
     */
    public FaultFigures figures(String fault, String readUrl, long millisToFirstSuccess) throws Exception {
        close();
        HttpResponse<String> all = http.send(HttpRequest.newBuilder(URI.create(readUrl + "/v1/kv/" + prefix + "/?recurse"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> stored = new HashMap<>();
        Map<String, String> lockHolders = new HashMap<>();
        for (JsonNode entry : JSON.readTree(all.body())) {
            String value = entry.get("Value").isNull() ? ""
                    : new String(Base64.getDecoder().decode(entry.get("Value").asText()), StandardCharsets.UTF_8);
            stored.put(entry.get("Key").asText(), value);
            if (entry.has("Session")) {
                lockHolders.put(entry.get("Key").asText(), entry.get("Session").asText());
            }
        }
        long lost = acknowledged.entrySet().stream().filter(ack -> !ack.getValue().equals(stored.get(ack.getKey()))).count();
        long invalidated = renewalsRefused.get();
        for (Map.Entry<Integer, String> writer : sessions.entrySet()) {
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(readUrl + "/v1/session/info/" + writer.getValue()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            boolean alive = info.statusCode() == 200 && JSON.readTree(info.body()).size() == 1;
            boolean holds = writer.getValue().equals(lockHolders.get(prefix + "/lock/" + writer.getKey()));
            if (!alive || !holds) {
                invalidated++;
            }
        }
        Map<String, Long> failed = new TreeMap<>();
        failures.forEach((kind, count) -> failed.put(kind, count.get()));
        return new FaultFigures(fault, acknowledged.size(), lost, failed, millisToFirstSuccess, invalidated);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread writer : writers) {
            writer.join(REQUEST_TIMEOUT.toMillis() + 5000);
        }
    }
}
