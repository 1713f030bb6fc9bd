package io.sessiond.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/** A session's stored times, read through JDBC (TestDatabase), as the JVM suite and the *IT classes alike can. */
public final class SessionRows {

    private SessionRows() {
    }

    /** The times a session row holds; {@code expiresAt} is null for a session without TTL. */
    public record Row(Instant createdAt, Instant lastRenewedAt, Instant expiresAt) {
    }

    /** The session's row, or null once it is gone. */
    public static Row row(String id) {
        try (Connection connection = TestDatabase.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT created_at, last_renewed_at, expires_at FROM sessions WHERE id = ?")) {
            statement.setObject(1, UUID.fromString(id));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new Row(instant(rows.getTimestamp(1)), instant(rows.getTimestamp(2)),
                        instant(rows.getTimestamp(3))) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
