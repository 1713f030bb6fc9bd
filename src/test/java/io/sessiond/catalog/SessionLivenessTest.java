package io.sessiond.catalog;

import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import io.sessiond.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static io.sessiond.catalog.CatalogEndpointsTest.register;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions are liveness leases: each way a node or a bound check dies ends the sessions on it, with their
 * locks released or deleted, in the transaction that noticed it. The test profile heartbeats every second
 * and declares an instance dead after three. HTTP plus the nodes table through JDBC, so that
 * {@link SessionLivenessIT} runs the same checks against the packaged artifact; what must hold for seconds,
 * and the reaper driven by the test, are in {@link SessionLivenessOverTimeTest}.
 */
@QuarkusTest
class SessionLivenessTest {

    /** A node with a passing serfHealth and app check, and a session bound to both holding a key. */
    record Fixture(String node, String session, String key) {
    }

    static Fixture sessionHoldingAKey(String behavior) {
        String node = unique("node");
        register("{\"Node\":\"" + node + "\",\"Address\":\"10.1.0.1\",\"Checks\":["
                + "{\"CheckID\":\"serfHealth\",\"Status\":\"passing\"},{\"CheckID\":\"app\",\"Status\":\"passing\"}]}");
        String session = Sessions.create("{\"Node\":\"" + node + "\",\"Checks\":[\"app\"],\"Behavior\":\"" + behavior
                + "\",\"LockDelay\":0}");
        String key = unique("held");
        assertTrue(Kv.put(key + "?acquire=" + session, "value"));
        return new Fixture(node, session, key);
    }

    static boolean sessionAlive(String session) {
        return !given().when().get("/v1/session/info/" + session).then().statusCode(200).extract().asString().equals("[]");
    }

    static void assertReleased(String key) {
        Kv.get(key).then().statusCode(200).body("[0]", not(hasKey("Session"))).body("[0].Value", equalTo("dmFsdWU="));
    }

    @Test
    void aCriticalCheckEndsItsSessionsAndReleasesTheirLocks() {
        Fixture fixture = sessionHoldingAKey("release");
        register("{\"Node\":\"" + fixture.node() + "\",\"Address\":\"10.1.0.1\",\"Check\":{\"CheckID\":\"app\",\"Status\":\"critical\"}}");
        assertFalse(sessionAlive(fixture.session()));
        assertReleased(fixture.key());
    }

    @Test
    void aWarningKeepsTheSession() {
        Fixture fixture = sessionHoldingAKey("release");
        register("{\"Node\":\"" + fixture.node() + "\",\"Address\":\"10.1.0.1\",\"Check\":{\"CheckID\":\"app\",\"Status\":\"warning\"}}");
        assertTrue(sessionAlive(fixture.session()));
        Kv.get(fixture.key()).then().body("[0].Session", equalTo(fixture.session()));
    }

    @Test
    void aDeregisteredCheckEndsItsSessions() {
        Fixture fixture = sessionHoldingAKey("delete");
        given().body("{\"Node\":\"" + fixture.node() + "\",\"CheckID\":\"app\"}").when().put("/v1/catalog/deregister")
                .then().statusCode(200).body(equalTo("true"));
        assertFalse(sessionAlive(fixture.session()));
        Kv.get(fixture.key()).then().statusCode(404);
    }

    @Test
    void aDeregisteredNodeEndsItsSessions() {
        Fixture fixture = sessionHoldingAKey("release");
        String unbound = Sessions.create("{\"Node\":\"" + fixture.node() + "\",\"NodeChecks\":[]}");
        given().body("{\"Node\":\"" + fixture.node() + "\"}").when().put("/v1/catalog/deregister").then().statusCode(200);
        assertFalse(sessionAlive(fixture.session()));
        assertFalse(sessionAlive(unbound), "every session on the node ends, bound to checks or not");
        assertReleased(fixture.key());
        given().when().get("/v1/catalog/node/" + fixture.node()).then().body(equalTo("null"));
    }

    @Test
    void aDeregisteredServiceEndsTheSessionsOnItsChecks() {
        String node = unique("svc-node");
        register("{\"Node\":\"" + node + "\",\"Address\":\"10.1.0.2\",\"Service\":{\"ID\":\"db-1\",\"Service\":\"db\"},"
                + "\"Check\":{\"CheckID\":\"db-alive\",\"Status\":\"passing\",\"ServiceID\":\"db-1\"}}");
        String session = Sessions.create("{\"Node\":\"" + node + "\",\"NodeChecks\":[],"
                + "\"ServiceChecks\":[{\"ID\":\"db-alive\"}]}");
        given().body("{\"Node\":\"" + node + "\",\"ServiceID\":\"db-1\"}").when().put("/v1/catalog/deregister").then().statusCode(200);
        assertFalse(sessionAlive(session));
    }

    @Test
    void anExpiredTtlCheckTurnsCriticalAndEndsItsSessions() throws InterruptedException {
        String check = passingTtlCheck("heartbeat", "1s");
        String session = Sessions.create("{\"Checks\":[\"" + check + "\"],\"LockDelay\":0}");
        String key = unique("ttl-held");
        assertTrue(Kv.put(key + "?acquire=" + session, "value"));

        await(() -> !sessionAlive(session), Duration.ofSeconds(10), "the TTL check never expired");
        given().when().get("/v1/health/node/sessiond-test").then()
                .body("find { it.CheckID == '" + check + "' }.Status", equalTo("critical"))
                .body("find { it.CheckID == '" + check + "' }.Output", equalTo("TTL expired"));
        assertReleased(key);
    }

    @Test
    void aDeadInstanceIsDetectedAndItsSessionsEnd() throws InterruptedException {
        // A peer sessiond instance: a node with a heartbeat, which stops beating.
        Fixture fixture = sessionHoldingAKey("release");
        setHeartbeat(fixture.node(), Instant.now());
        await(() -> !sessionAlive(fixture.session()), Duration.ofSeconds(15), "the dead instance was never detected");
        given().when().get("/v1/health/node/" + fixture.node()).then()
                .body("find { it.CheckID == 'serfHealth' }.Status", equalTo("critical"))
                .body("find { it.CheckID == 'serfHealth' }.Output", equalTo(CheckLiveness.AGENT_UNREACHABLE));
        assertReleased(fixture.key());
    }

    /** Registers a passing agent check with {@code ttl}, named from {@code prefix}, and returns its name. */
    static String passingTtlCheck(String prefix, String ttl) {
        String check = unique(prefix);
        given().body("{\"Name\":\"" + check + "\",\"TTL\":\"" + ttl + "\",\"Status\":\"passing\"}")
                .when().put("/v1/agent/check/register").then().statusCode(200);
        return check;
    }

    static void setHeartbeat(String node, Instant at) {
        TestDatabase.update("UPDATE nodes SET heartbeat_at = ? WHERE name = ?", at, node);
    }

    static void await(BooleanSupplier condition, Duration limit, String failure) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), failure);
            Thread.sleep(100);
        }
    }
}
