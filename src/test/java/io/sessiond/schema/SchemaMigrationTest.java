package io.sessiond.schema;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application's start-up migration (the tests' own schema is migrated by Quarkus at start-up):
 * run against a schema of its own, so that it starts from an empty database.
 */
@QuarkusTest
class SchemaMigrationTest {

    private static final String HISTORY = "flyway_schema_history";
    private static final Pattern MIGRATION_FILE = Pattern.compile("V([0-9_.]+)__.*\\.sql");

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private final String schema = "schema_migration_test_" + System.nanoTime();
    private PGSimpleDataSource emptySchema;
    private final AtomicInteger flywayRuns = new AtomicInteger();

    @BeforeEach
    void createEmptySchema() throws SQLException {
        execute(dataSource, "CREATE SCHEMA " + schema);
        emptySchema = new PGSimpleDataSource();
        emptySchema.setUrl(url);
        username.ifPresent(emptySchema::setUser);
        password.ifPresent(emptySchema::setPassword);
        emptySchema.setCurrentSchema(schema);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        execute(dataSource, "DROP SCHEMA " + schema + " CASCADE");
    }

    @Test
    void newestIsTheNewestMigrationFile() throws IOException, URISyntaxException {
        Path folder = Path.of(Objects.requireNonNull(getClass().getResource("/db/migration")).toURI());
        try (Stream<Path> files = Files.list(folder)) {
            MigrationVersion newestFile = files
                    .map(file -> MIGRATION_FILE.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(file -> MigrationVersion.fromVersion(file.group(1)))
                    .max(MigrationVersion::compareTo)
                    .orElseThrow();
            assertEquals(newestFile, SchemaMigration.NEWEST, "a new migration: set SchemaMigration.NEWEST to its version");
        }
    }

    @Test
    void anEmptySchemaIsMigratedOnceAndThenLeftAlone() throws SQLException {
        assertFalse(SchemaMigration.isCurrent(emptySchema, HISTORY));

        assertTrue(SchemaMigration.migrateIfBehind(emptySchema, HISTORY, flyway()));
        assertEquals(1, flywayRuns.get());
        assertTrue(SchemaMigration.isCurrent(emptySchema, HISTORY));

        assertFalse(SchemaMigration.migrateIfBehind(emptySchema, HISTORY, flyway()));
        assertEquals(1, flywayRuns.get(), "a current schema does not start Flyway");
    }

    @Test
    void aSchemaOfAnOlderReleaseIsMigrated() throws SQLException {
        configuredFlyway().target("7").load().migrate();

        assertFalse(SchemaMigration.isCurrent(emptySchema, HISTORY));
        assertTrue(SchemaMigration.migrateIfBehind(emptySchema, HISTORY, flyway()));
        assertTrue(SchemaMigration.isCurrent(emptySchema, HISTORY));
        execute(emptySchema, "SELECT 'require_session()'::regprocedure"); // fails unless V8 created it in this schema
    }

    @Test
    void aFailedMigrationIsLeftToFlyway() throws SQLException {
        SchemaMigration.migrateIfBehind(emptySchema, HISTORY, flyway());
        execute(emptySchema, "UPDATE " + HISTORY + " SET success = false WHERE version = '8'");

        assertFalse(SchemaMigration.isCurrent(emptySchema, HISTORY), "Flyway reports (or repairs) a failed migration");
    }

    @Test
    void aNewerSchemaFromANewerReleaseIsCurrent() throws SQLException {
        SchemaMigration.migrateIfBehind(emptySchema, HISTORY, flyway());
        execute(emptySchema, "INSERT INTO " + HISTORY + " (installed_rank, version, description, type, script, checksum,"
                + " installed_by, execution_time, success) VALUES (100, '9.1', 'newer', 'SQL', 'V9.1__newer.sql', 0,"
                + " current_user, 0, true)");

        assertTrue(SchemaMigration.isCurrent(emptySchema, HISTORY));
    }

    private Supplier<Flyway> flyway() {
        return () -> {
            flywayRuns.incrementAndGet();
            return configuredFlyway().load();
        };
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration configuredFlyway() {
        return Flyway.configure().dataSource(emptySchema).schemas(schema).locations("classpath:db/migration");
    }

    private static void execute(javax.sql.DataSource target, String sql) throws SQLException {
        try (Connection connection = target.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
