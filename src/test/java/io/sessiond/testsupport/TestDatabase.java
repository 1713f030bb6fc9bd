package io.sessiond.testsupport;

import org.eclipse.microprofile.config.ConfigProvider;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The database the application under test uses, reached through JDBC by URL rather than an injected
 * {@code DataSource}: so the same test body runs as a {@code @QuarkusTest} and, as an {@code *IT}, against the
 * packaged artifact in a process of its own (where nothing is injected into the test).
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    /**
     * A data source on the test database. For an {@code *IT}, Quarkus passes the test resource's settings as
     * system properties; in a {@code @QuarkusTest} they are the running application's configuration.
     */
    public static DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(setting("quarkus.datasource.jdbc.url"));
        dataSource.setUser(setting("quarkus.datasource.username"));
        dataSource.setPassword(setting("quarkus.datasource.password"));
        return dataSource;
    }

    /** The database's clock, which expiry and lock-delays are judged by. */
    public static Instant now() {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT clock_timestamp()");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns once the database's clock is past {@code instant}, polling (never sleeping more than 20 ms at a time). */
    public static void awaitTime(Instant instant) throws InterruptedException {
        Instant giveUp = Instant.now().plus(java.time.Duration.between(now(), instant)).plusSeconds(30);
        while (!now().isAfter(instant)) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("the database clock did not pass " + instant);
            }
            Thread.sleep(20);
        }
    }

    /** Runs {@code sql} with {@code parameters} and returns how many rows it changed. */
    public static int update(String sql, Object... parameters) {
        try (Connection connection = dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i] instanceof Instant instant ? Timestamp.from(instant) : parameters[i];
                statement.setObject(i + 1, parameter);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            value = ConfigProvider.getConfig().getOptionalValue(name, String.class)
                    .orElseGet(() -> System.getenv(name.toUpperCase().replace('.', '_')));
        }
        if (value == null) {
            throw new IllegalStateException("No " + name + ": the test resource (EmbeddedPostgresResource) passes it");
        }
        return value;
    }
}
