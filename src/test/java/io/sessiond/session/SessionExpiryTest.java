package io.sessiond.session;

import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.SessionRows;
import io.sessiond.testsupport.Sessions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.SessionRows.row;
import static io.sessiond.testsupport.TestDatabase.awaitTime;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TTL expiry seen from outside: sessions live TTL x 2 after their last renewal, until the sweeper ends them.
 * HTTP plus the sessions table through JDBC, so that {@link SessionExpiryIT} runs the same checks against the
 * packaged artifact; {@link SessionExpirySweepTest} pauses the sweeper to decide when sweeps run. The test
 * profile lowers the TTL floor to 100ms, so the same rules are observed in about a second.
 */
@QuarkusTest
class SessionExpiryTest {

    @Test
    void sweeperRemovesSessionsAfterTwiceTheirTtl() throws InterruptedException {
        String id = Sessions.create("{\"TTL\":\"1s\"}");
        SessionRows.Row stored = row(id);
        // The deadline is TTL x 2 after the create, on the database's clock; AtomicExpiryTest checks that the
        // sweeper ends a session after its deadline, and promptly.
        assertEquals(Duration.ofSeconds(2), Duration.between(stored.createdAt(), stored.expiresAt()));
        long indexBefore = sessionsIndex();

        awaitRowDeleted(id, Duration.ofSeconds(10));

        given().when().get("/v1/session/info/" + id).then().body(equalTo("[]"));
        given().when().get("/v1/session/list").then().body("ID", not(hasItem(id)));
        assertTrue(sessionsIndex() > indexBefore, "expiry is a write at a new index");
    }

    @Test
    void renewMovesTheExpiry() throws InterruptedException {
        String id = Sessions.create("{\"TTL\":\"1s\"}");
        SessionRows.Row created = row(id);
        assertEquals(Duration.ofSeconds(2), Duration.between(created.lastRenewedAt(), created.expiresAt()));

        awaitTime(created.lastRenewedAt().plusMillis(1200));
        given().when().put("/v1/session/renew/" + id).then().statusCode(200).body("[0].ID", equalTo(id));
        SessionRows.Row renewed = row(id);
        assertTrue(renewed.expiresAt().isAfter(created.expiresAt().plusMillis(1000)),
                created.expiresAt() + " -> " + renewed.expiresAt());
        assertEquals(Duration.ofSeconds(2), Duration.between(renewed.lastRenewedAt(), renewed.expiresAt()));

        // Past the expiry the session had before its renewal, it is still alive.
        awaitTime(created.expiresAt().plusMillis(300));
        given().when().get("/v1/session/info/" + id).then().body("[0].ID", equalTo(id));
    }

    @Test
    void sessionsWithoutTtlNeverExpire() {
        String id = Sessions.create("{\"TTL\":\"0s\"}");
        assertNull(row(id).expiresAt());
        given().when().put("/v1/session/renew/" + id).then().statusCode(200);
        assertNull(row(id).expiresAt());
    }

    private static long sessionsIndex() {
        return Long.parseLong(given().when().get("/v1/session/list").header("X-Consul-Index"));
    }

    private static void awaitRowDeleted(String id, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (row(id) != null) {
            assertTrue(Instant.now().isBefore(deadline), "session " + id + " still stored after " + limit);
            Thread.sleep(50);
        }
    }
}
