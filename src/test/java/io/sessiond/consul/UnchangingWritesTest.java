package io.sessiond.consul;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sessiond.testsupport.Kv;
import io.quarkus.scheduler.Scheduler;
import io.sessiond.catalog.Liveness;
import io.sessiond.session.SessionSweeper;
import io.sessiond.testsupport.Sessions;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes that change nothing move no change index, as in Consul: the {@code X-Consul-Index} of the tables
 * they would have changed stays the same, and a blocking query parked on it sleeps until its wait ends. A
 * write that does change something still moves the index and wakes the query.
 */
@QuarkusTest
class UnchangingWritesTest {

    private static final String LOCAL_NODE = "sessiond-test";
    private static final long WAIT_MS = 1500;

    @Inject
    SessionSweeper sweeper;

    @Inject
    Scheduler scheduler;

    @Inject
    DataSource database;

    /**
     * A session left by an earlier test class that expires meanwhile would move the sessions and KV indexes
     * through the sweeper: paused, the only writes are this test's own.
     */
    @BeforeEach
    void pauseSweepers() {
        sweeper.pause();
        // Other test classes' TTL checks turning critical would move the checks index too.
        scheduler.pause(Liveness.REAPER_JOB);
    }

    @AfterEach
    void resumeSweepers() {
        sweeper.resume();
        scheduler.resume(Liveness.REAPER_JOB);
    }

    @Test
    void kvWritesThatChangeNothingMoveNoIndex() {
        String key = unique("kept");
        assertTrue(Kv.put(key, "value"));
        long modifyIndex = Kv.modifyIndex(key);
        String session = Sessions.create("{}");
        String locked = unique("locked");
        assertTrue(Kv.put(locked + "?acquire=" + session, "held"));
        String other = Sessions.create("{}");

        assertUnchanged("/v1/kv/?keys", () -> given().delete("/v1/kv/" + unique("missing")).then().statusCode(200)
                .body(equalTo("true")));
        assertUnchanged("/v1/kv/?keys", () -> given().delete("/v1/kv/" + unique("empty") + "/?recurse")
                .then().statusCode(200).body(equalTo("true")));
        assertUnchanged("/v1/kv/?keys", () -> given().delete("/v1/kv/" + unique("missing") + "?cas=7")
                .then().statusCode(200));
        assertUnchanged("/v1/kv/?keys", () -> given().delete("/v1/kv/" + key + "?cas=" + (modifyIndex + 1000))
                .then().statusCode(200).body(equalTo("false")));
        assertUnchanged("/v1/kv/?keys", () -> assertEquals(false, Kv.put(key + "?cas=0", "other")));
        assertUnchanged("/v1/kv/?keys", () -> assertEquals(true, Kv.put(key, "value")));
        assertUnchanged("/v1/kv/?keys", () -> assertEquals(false, Kv.put(key + "?release=" + other, "value")));
        assertUnchanged("/v1/kv/?keys", () -> assertEquals(false, Kv.put(locked + "?acquire=" + other, "mine")));
        assertUnchanged("/v1/kv/?keys", () -> assertEquals(true, Kv.put(locked + "?acquire=" + session, "held")));
        assertEquals(modifyIndex, Kv.modifyIndex(key), "the key's own ModifyIndex did not move either");

        assertChanged("/v1/kv/?keys", () -> given().delete("/v1/kv/" + key).then().statusCode(200));
    }

    @Test
    void catalogDeregistrationsOfUnknownEntriesMoveNoIndex() {
        assertUnchanged("/v1/health/state/any", () -> deregister("{\"Node\":\"" + unique("unknown-node") + "\"}"));
        assertUnchanged("/v1/catalog/nodes", () -> deregister("{\"Node\":\"" + unique("unknown-node") + "\"}"));
        assertUnchanged("/v1/health/state/any",
                () -> deregister("{\"Node\":\"" + LOCAL_NODE + "\",\"ServiceID\":\"" + unique("unknown") + "\"}"));
        assertUnchanged("/v1/health/state/any",
                () -> deregister("{\"Node\":\"" + LOCAL_NODE + "\",\"CheckID\":\"" + unique("unknown") + "\"}"));

        String node = unique("gone");
        given().body("{\"Node\":\"" + node + "\",\"Address\":\"10.9.9.9\"}").put("/v1/catalog/register")
                .then().statusCode(200);
        assertChanged("/v1/catalog/nodes", () -> deregister("{\"Node\":\"" + node + "\"}"));
    }

    /** A TTL check updated to the status and output it has: its clock restarts, and no index moves. */
    @Test
    void aTtlCheckUpdateThatChangesNothingMovesNoIndex() throws Exception {
        String check = unique("ttl");
        given().body("{\"Name\":\"" + check + "\",\"TTL\":\"30s\"}").put("/v1/agent/check/register")
                .then().statusCode(200);
        assertChanged("/v1/health/state/any", () -> given().put("/v1/agent/check/pass/" + check + "?note=ok")
                .then().statusCode(200));
        Timestamp deadline = ttlDeadline(check);
        sleep(50);
        assertUnchanged("/v1/health/state/any", () -> given().put("/v1/agent/check/pass/" + check + "?note=ok")
                .then().statusCode(200));
        assertUnchanged("/v1/health/state/any", () -> given().body("{\"Status\":\"passing\",\"Output\":\"ok\"}")
                .put("/v1/agent/check/update/" + check).then().statusCode(200));
        assertTrue(ttlDeadline(check).after(deadline), "the TTL clock restarted");
        assertChanged("/v1/health/state/any", () -> given().put("/v1/agent/check/pass/" + check + "?note=busy")
                .then().statusCode(200));
        given().put("/v1/agent/check/deregister/" + check).then().statusCode(200);
    }

    private Timestamp ttlDeadline(String check) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT ttl_expires_at FROM checks WHERE node = ? AND check_id = ?")) {
            query.setString(1, LOCAL_NODE);
            query.setString(2, check);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "check " + check + " is registered");
                return row.getTimestamp(1);
            }
        }
    }

    @Test
    void destroyingAnUnknownSessionMovesNoIndex() {
        assertUnchanged("/v1/session/list", () -> given().put("/v1/session/destroy/" + UUID.randomUUID())
                .then().statusCode(200).body(equalTo("true")));
        String session = Sessions.create("{}");
        assertChanged("/v1/session/list", () -> given().put("/v1/session/destroy/" + session).then().statusCode(200));
    }

    private static void deregister(String body) {
        given().body(body).put("/v1/catalog/deregister").then().statusCode(200).body(equalTo("true"));
    }

    /** {@code write} leaves the index of {@code watched} as it was, and a query parked on it sleeps through. */
    private static void assertUnchanged(String watched, Runnable write) {
        Parked parked = writeWhileParked(watched, write);
        assertTrue(parked.elapsedMs() >= WAIT_MS - 100,
                "the parked query on " + watched + " was woken after " + parked.elapsedMs() + " ms");
        assertEquals(parked.before(), index(parked.answer()), "the parked query on " + watched + " saw a new index");
        assertEquals(parked.before(), index(given().get(watched)), "the index of " + watched + " moved");
    }

    /** {@code write} moves the index of {@code watched} and wakes a query parked on it. */
    private static void assertChanged(String watched, Runnable write) {
        Parked parked = writeWhileParked(watched, write);
        assertTrue(parked.elapsedMs() < WAIT_MS - 100, "the parked query on " + watched + " slept " + parked.elapsedMs() + " ms");
        assertTrue(index(parked.answer()) > parked.before(), "the parked query on " + watched + " saw no new index");
    }

    /** A blocking query parked on {@code watched} at its current index: the index, its answer and how long it took. */
    private record Parked(long before, Response answer, long elapsedMs) {
    }

    /** Parks a blocking query on {@code watched}, runs {@code write} while it waits, and returns what it answered. */
    private static Parked writeWhileParked(String watched, Runnable write) {
        long before = index(given().get(watched));
        Instant start = Instant.now();
        CompletableFuture<Response> parked = park(watched, before);
        sleep(200);
        write.run();
        Response answer = parked.join();
        return new Parked(before, answer, Duration.between(start, Instant.now()).toMillis());
    }

    private static CompletableFuture<Response> park(String watched, long index) {
        String separator = watched.contains("?") ? "&" : "?";
        return CompletableFuture.supplyAsync(() ->
                given().get(watched + separator + "index=" + index + "&wait=" + WAIT_MS + "ms"));
    }

    private static long index(Response response) {
        response.then().statusCode(200);
        return Long.parseLong(response.header("X-Consul-Index"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
