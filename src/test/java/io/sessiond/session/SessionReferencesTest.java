package io.sessiond.session;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Kv;
import io.sessiond.testsupport.Sessions;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the foreign keys to sessions guaranteed, checked since V8 by triggers once per deleting statement:
 * a key's lock and a connection always name an existing session, a session cannot go while it holds a
 * lock, and its connections go with it.
 */
@QuarkusTest
class SessionReferencesTest {

    /** PostgreSQL's SQLSTATE for a foreign-key violation, which the triggers raise as the keys did. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    @Inject
    EntityManager em;

    @Test
    void aLockCannotNameAMissingSession() {
        assertForeignKeyViolation(() -> sql("INSERT INTO kv_entries (key, flags, lock_index, session, create_index, "
                + "modify_index) VALUES ('refs-" + UUID.randomUUID() + "', 0, 1, '" + UUID.randomUUID() + "', 1, 1)"));
    }

    @Test
    void aConnectionCannotNameAMissingSession() {
        assertForeignKeyViolation(() -> sql("INSERT INTO session_connections (session, client, remote_address, "
                + "remote_port, connected_at, last_activity_at, reads, writes) VALUES ('" + UUID.randomUUID()
                + "', 'c', '127.0.0.1', 1, now(), now(), 0, 0)"));
    }

    @Test
    void aSessionHoldingALockCannotBeDeletedBehindInvalidationsBack() {
        String session = Sessions.create("{}");
        String key = "refs-" + UUID.randomUUID();
        assertTrue(Kv.put(key + "?acquire=" + session, "v"));

        assertForeignKeyViolation(() -> sql("DELETE FROM sessions WHERE id = '" + session + "'"));

        Kv.get(key).then().statusCode(200).body("[0].Session", equalTo(session));
    }

    @Test
    void aDeletedSessionTakesItsConnectionsAlong() {
        String session = Sessions.create("{}");
        sql("INSERT INTO session_connections (session, client, remote_address, remote_port, connected_at, "
                + "last_activity_at, reads, writes) VALUES ('" + session + "', 'c', '127.0.0.1', 1, now(), now(), 0, 0)");
        // The create request itself was recorded as a connection too.
        assertTrue(count("SELECT count(*) FROM session_connections WHERE session = '" + session + "'") >= 1);

        sql("DELETE FROM sessions WHERE id = '" + session + "'");

        assertEquals(0L, count("SELECT count(*) FROM session_connections WHERE session = '" + session + "'"));
    }

    private void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(statement).executeUpdate());
    }

    private long count(String query) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(query).getSingleResult()).longValue());
    }

    private static void assertForeignKeyViolation(Runnable statement) {
        PersistenceException thrown = assertThrows(PersistenceException.class, statement::run);
        Throwable cause = thrown;
        while (cause != null && !(cause instanceof SQLException)) {
            cause = cause.getCause();
        }
        assertNotNull(cause, "an SQL error: " + thrown);
        assertEquals(FOREIGN_KEY_VIOLATION, ((SQLException) cause).getSQLState(), cause.getMessage());
    }
}
