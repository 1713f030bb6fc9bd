package io.sessiond.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL for the tests, started without Docker. An explicitly configured
 * {@code QUARKUS_DATASOURCE_JDBC_URL} (environment) or {@code quarkus.datasource.jdbc.url} (system
 * property) wins, and then nothing is started.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final String USER = "postgres";

    /**
     * Read once, before any start: for {@code @QuarkusIntegrationTest}s Quarkus sets what {@link #start()}
     * returned as system properties and keeps them until the end of the run, so when it restarts the
     * resources for another test class, the URL it finds there is this resource's previous, stopped database.
     */
    private static final boolean URL_CONFIGURED = System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null
            || System.getProperty("quarkus.datasource.jdbc.url") != null;

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        if (URL_CONFIGURED) {
            return Map.of();
        }
        try {
            // Commit times let tests measure when a write took effect on the database's clock (AtomicExpiryTest).
            postgres = EmbeddedPostgres.builder().setServerConfig("track_commit_timestamp", "on").start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded test PostgreSQL", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.getJdbcUrl(USER, USER),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", USER);
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
