package io.sessiond.kv;

import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import io.sessiond.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static io.restassured.RestAssured.given;
import static io.sessiond.testsupport.Names.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lock-delay starts however a session ends, not only when it is destroyed: when a check it is bound to turns
 * critical, when its node fails or is deregistered. What it asked for is enforced up to Consul's 60 s cap.
 * The remaining lock-delay is read from the database (by its clock, through JDBC: LockDelayIT runs the same
 * checks against the packaged artifact), so no test waits for it to run out.
 */
@QuarkusTest
class LockDelayTest {

    /** A node with a passing serfHealth and app check, and a session with lock-delay bound to both holding a key. */
    private record Holder(String node, String session, String key) {
    }

    private static Holder holderWithLockDelay(String lockDelay) {
        String node = unique("lock-delay-node");
        register("{\"Node\":\"" + node + "\",\"Address\":\"10.2.0.1\",\"Checks\":["
                + "{\"CheckID\":\"serfHealth\",\"Status\":\"passing\"},{\"CheckID\":\"app\",\"Status\":\"passing\"}]}");
        String session = Sessions.create("{\"Node\":\"" + node + "\",\"Checks\":[\"serfHealth\",\"app\"],\"LockDelay\":\""
                + lockDelay + "\"}");
        String key = unique("lock-delayed");
        assertTrue(Kv.put(key + "?acquire=" + session, "value"));
        return new Holder(node, session, key);
    }

    private static void register(String body) {
        given().body(body).when().put("/v1/catalog/register").then().statusCode(200);
    }

    @Test
    void aCriticalCheckStartsTheLockDelay() throws SQLException {
        Holder holder = holderWithLockDelay("20s");
        register("{\"Node\":\"" + holder.node() + "\",\"Address\":\"10.2.0.1\",\"Check\":{\"CheckID\":\"app\",\"Status\":\"critical\"}}");
        assertLockDelayed(holder, 20);
    }

    @Test
    void aFailedNodeStartsTheLockDelay() throws SQLException {
        // How a dead node shows: its serfHealth check turns critical (the liveness reaper does this for a peer).
        Holder holder = holderWithLockDelay("20s");
        register("{\"Node\":\"" + holder.node() + "\",\"Address\":\"10.2.0.1\",\"Check\":{\"CheckID\":\"serfHealth\",\"Status\":\"critical\"}}");
        assertLockDelayed(holder, 20);
    }

    @Test
    void aDeregisteredNodeStartsTheLockDelay() throws SQLException {
        Holder holder = holderWithLockDelay("20s");
        given().body("{\"Node\":\"" + holder.node() + "\"}").when().put("/v1/catalog/deregister").then().statusCode(200);
        assertLockDelayed(holder, 20);
    }

    @Test
    void aLockDelayAboveSixtySecondsIsEnforcedForSixty() throws SQLException {
        Holder holder = holderWithLockDelay("10m");
        // The session keeps what it asked for; only the enforcement is capped.
        given().when().get("/v1/session/info/" + holder.session()).then().body("[0].LockDelay", equalTo(600_000_000_000L));
        given().when().put("/v1/session/destroy/" + holder.session()).then().statusCode(200);
        assertLockDelayed(holder, 60);
    }

    @Test
    void noLockDelayLeavesTheKeyFreeAtOnce() throws SQLException {
        Holder holder = holderWithLockDelay("0s");
        given().when().put("/v1/session/destroy/" + holder.session()).then().statusCode(200);
        assertEquals(-1, remainingLockDelaySeconds(holder.key()), "no lock-delay recorded");
        String next = Sessions.create("{\"LockDelay\":0}");
        assertTrue(Kv.put(holder.key() + "?acquire=" + next, "next"));
    }

    /**
     * The holder's session ended and released its key, another session's acquire is refused, and the key's
     * lock-delay ends {@code seconds} after the release: more than a second less only if this check itself
     * took that long, never more.
     */
    private void assertLockDelayed(Holder holder, long seconds) throws SQLException {
        given().when().get("/v1/session/info/" + holder.session()).then().statusCode(200).body(equalTo("[]"));
        Kv.get(holder.key()).then().statusCode(200).body("[0]", not(hasKey("Session")));
        String next = Sessions.create("{\"LockDelay\":0}");
        assertFalse(Kv.put(holder.key() + "?acquire=" + next, "next"), "acquired during the lock-delay");
        Kv.get(holder.key()).then().body("[0]", not(hasKey("Session")));

        double remaining = remainingLockDelaySeconds(holder.key());
        assertTrue(remaining <= seconds, remaining + " s of lock-delay left, more than " + seconds + " s");
        assertTrue(remaining > seconds - 10, "only " + remaining + " s of a " + seconds + " s lock-delay left");
    }

    /** Seconds until the key's lock-delay ends, by the database's clock; -1 when it has none. */
    private double remainingLockDelaySeconds(String key) throws SQLException {
        try (Connection connection = TestDatabase.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT extract(epoch FROM until - clock_timestamp()) FROM kv_lock_delays WHERE key = ?")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getDouble(1) : -1;
            }
        }
    }
}
