package io.sessiond.testsupport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Looks at the tables directly, past the APIs, to see what a request wrote or left alone. */
public final class Sql {

    private Sql() {
    }

    /** The single number {@code sql} (a {@code count(*)} with one text parameter) returns. */
    public static long count(DataSource database, String sql, String parameter) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
