package io.sessiond.operations;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short load moves the meters at {@code /q/metrics} (Prometheus, sessiond's names) and at Consul's
 * {@code /v1/agent/metrics} (go-metrics' JSON, or Prometheus text with Consul's names), and the HTTP meters
 * name routes by their templates, never by a session ID or a key.
 */
@QuarkusTest
class MetricsTest {

    @Test
    void aShortLoadMovesTheCountersAndNoIdOrKeyBecomesALabel() throws Exception {
        String before = prometheus();
        String key = "metrics-" + UUID.randomUUID();
        String holder = Sessions.create("{\"Name\":\"metrics holder\",\"TTL\":\"30s\"}");
        String contender = Sessions.create("{\"Name\":\"metrics contender\"}");
        given().put("/v1/session/renew/" + holder).then().statusCode(200);
        assertTrue(Kv.put(key + "?acquire=" + holder, "a"));
        assertFalse(Kv.put(key + "?acquire=" + contender, "b"));
        long index = Kv.modifyIndex(key);
        CompletableFuture<Integer> parked = CompletableFuture.supplyAsync(() ->
                given().get("/v1/kv/" + key + "?index=" + index + "&wait=30s").statusCode());
        awaitValue("sessiond_blocking_parked", 1);
        assertTrue(Kv.put(key, "c"));
        assertEquals(200, parked.get());
        given().put("/v1/session/destroy/" + contender).then().statusCode(200).body(equalTo("true"));
        given().get("/v1/sessions/" + holder).then().statusCode(200);

        String after = prometheus();
        assertIncreased(before, after, "sessiond_session_writes_seconds_count{op=\"create\"}", 2);
        assertIncreased(before, after, "sessiond_session_writes_seconds_count{op=\"renew\"}", 1);
        assertIncreased(before, after, "sessiond_session_writes_seconds_count{op=\"destroy\"}", 1);
        assertIncreased(before, after, "sessiond_sessions_invalidated_total{cause=\"destroy\"}", 1);
        assertIncreased(before, after, "sessiond_kv_locks_total{outcome=\"won\"}", 1);
        assertIncreased(before, after, "sessiond_kv_locks_total{outcome=\"lost\"}", 1);
        assertIncreased(before, after, "sessiond_kv_writes_seconds_count{op=\"set\"}", 1);
        assertIncreased(before, after, "sessiond_blocking_wakeup_seconds_count", 1);
        assertIncreased(before, after, "sessiond_group_commit_batch_size_count{kind=\"create\"}", 1);
        assertTrue(after.contains("uri=\"/v1/session/renew/{id"), "the renew route by its template:\n" + httpLines(after));
        assertTrue(after.contains("uri=\"/v1/kv/{key"), "the KV route by its template:\n" + httpLines(after));
        assertTrue(after.contains("uri=\"/v1/sessions/{"), "the admin API's route by its template:\n" + httpLines(after));
        assertFalse(after.contains(holder) || after.contains(contender) || after.contains(key),
                "a session ID or a key in the metrics:\n" + httpLines(after));

        // The gauges counted in the database come with the next refresh (every second in the tests).
        awaitLine("sessiond_sessions_active{behavior=\"release\",node=\"sessiond-test\"}");
    }

    @Test
    void requestsAnsweredBeforeAnyRouteMatchedAreCountedByTheirRouteNotTheirPath() {
        String options = "metrics-options-" + UUID.randomUUID();
        String post = "metrics-post-" + UUID.randomUUID();
        String unknown = "metrics-unknown-" + UUID.randomUUID();
        given().options("/v1/kv/" + options).then().statusCode(200);
        given().post("/v1/kv/" + post).then().statusCode(405);
        given().get("/v1/session/create").then().statusCode(405);
        given().get("/v1/" + unknown).then().statusCode(404);

        String metrics = prometheus();
        assertTrue(metrics.contains("method=\"OPTIONS\"") && metrics.contains("uri=\"/v1/kv/*\""),
                "Consul's prefix route, named by the route:\n" + httpLines(metrics));
        assertTrue(metrics.contains("uri=\"/v1/session/create\""), "a fixed route by its path:\n" + httpLines(metrics));
        assertFalse(metrics.contains(options) || metrics.contains(post) || metrics.contains(unknown),
                "a key in the metrics:\n" + httpLines(metrics));
    }

    @Test
    void consulsMetricsEndpointHasItsShapeAndNames() {
        String key = "consul-metrics-" + UUID.randomUUID();
        assertTrue(Kv.put(key, "v"));
        String session = Sessions.create("{\"Name\":\"consul metrics\",\"TTL\":\"30s\"}");
        assertTrue(Kv.put(key + "?acquire=" + session, "locked"));

        JsonPath json = given().get("/v1/agent/metrics").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertTrue(json.getString("Timestamp").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d0 \\+0000 UTC"),
                json.getString("Timestamp"));
        assertEquals(List.of(), json.getList("Points"));
        Map<String, Object> kvsApply = json.getMap("Samples.find { it.Name == 'consul.kvs.apply' }");
        assertNotNull(kvsApply, "no consul.kvs.apply sample in " + json.prettify());
        for (String field : List.of("Count", "Rate", "Sum", "Min", "Max", "Mean", "Stddev", "Labels")) {
            assertTrue(kvsApply.containsKey(field), field + " missing from " + kvsApply);
        }
        assertTrue(((Number) kvsApply.get("Count")).longValue() >= 1, kvsApply.toString());
        assertTrue(((Number) kvsApply.get("Min")).doubleValue() <= ((Number) kvsApply.get("Max")).doubleValue());
        assertNotNull(json.getMap("Samples.find { it.Name == 'consul.session.apply' }"), json.prettify());
        Map<String, Object> won = json.getMap("Counters.find { it.Name == 'sessiond.kv.locks' && it.Labels.outcome == 'won' }");
        assertNotNull(won, json.prettify());
        assertTrue(((Number) won.get("Count")).longValue() >= 1, won.toString());

        String text = given().get("/v1/agent/metrics?format=prometheus").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asString();
        assertTrue(text.contains("# TYPE consul_kvs_apply summary\n"), text);
        assertTrue(Pattern.compile("(?m)^consul_kvs_apply_count [1-9]").matcher(text).find(), text);
        awaitAgentGauge("consul_session_ttl_active");
    }

    private static String prometheus() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    private static void assertIncreased(String before, String after, String series, double by) {
        double increase = value(after, series) - value(before, series);
        assertTrue(increase >= by, series + " rose by " + increase + ", expected at least " + by + "\n" + after);
    }

    private static void awaitValue(String series, double atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (value(prometheus(), series) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(value(prometheus(), series) >= atLeast, series + " never reached " + atLeast);
    }

    private static void awaitLine(String seriesPrefix) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String metrics = prometheus();
        while (!metrics.contains(seriesPrefix) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            metrics = prometheus();
        }
        assertTrue(metrics.contains(seriesPrefix), seriesPrefix + " never appeared:\n" + metrics);
    }

    private static void awaitAgentGauge(String name) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String text;
        do {
            text = given().get("/v1/agent/metrics?format=prometheus").then().extract().asString();
        } while (!Pattern.compile("(?m)^" + name + " [1-9]").matcher(text).find() && System.nanoTime() < deadline && pause());
        assertTrue(Pattern.compile("(?m)^" + name + " [1-9]").matcher(text).find(), text);
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String httpLines(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("http_server_requests")).reduce("", (a, b) -> a + b + "\n");
    }
}
