package io.sessiond.schema;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Brings the database schema up to this build's migrations when the packaged application starts, before
 * anything else uses the database. Flyway's own migrate costs a native start-up tens of milliseconds even when
 * there is nothing to migrate (it resolves and checksums every migration, inspects the database and takes its
 * lock, a dozen round trips), while a schema already current is the usual case. So the schema
 * history is read first, in two small queries, and Flyway runs only when a migration is missing or one failed
 * (Flyway then applies what is missing, or refuses with its own message). Instances starting together on a new
 * database each see the schema behind and run Flyway, which serializes them with its lock.
 *
 * <p>The packaged application has Quarkus' Flyway inactive ({@code %prod.quarkus.flyway.active=false}), which
 * skips the extension's start-up actions (migrate, validate), and migrates with the extension's own Flyway
 * bean: the same {@code quarkus.flyway.*} configuration and the migrations it found at build time (a native image
 * cannot scan for them). That bean is created at start-up in any case (the extension creates it eagerly for every
 * active datasource, inactive or not; finding Flyway's plugins costs a native start-up about 5 ms).
 *
 * <p>Dev mode and the tests let Quarkus run Flyway at start-up instead ({@code quarkus.flyway.migrate-at-start}),
 * because there Hibernate validates the schema against the entities right after it, before start-up observers.
 */
@ApplicationScoped
public class SchemaMigration {

    /** The newest migration under {@code db/migration}; SchemaMigrationTest keeps the two in step. */
    static final MigrationVersion NEWEST = MigrationVersion.fromVersion("12");

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class);

    /** Whether table ?1 exists in the current schema (the first of the search path, which Flyway uses). */
    private static final String TABLE_EXISTS =
            "SELECT to_regclass(quote_ident(current_schema()) || '.' || quote_ident(?)) IS NOT NULL";
    /** The versions a history table records; %s is the table, a quoted identifier, as an identifier cannot be bound. */
    private static final String HISTORY_VERSIONS = "SELECT version, success FROM %s WHERE version IS NOT NULL";

    private final AgroalDataSource dataSource;
    private final Flyway flyway;
    private final boolean quarkusMigratesAtStart;
    private final String historyTable;

    public SchemaMigration(AgroalDataSource dataSource, Flyway flyway,
                           @ConfigProperty(name = "quarkus.flyway.active") Optional<Boolean> quarkusFlywayActive,
                           @ConfigProperty(name = "quarkus.flyway.migrate-at-start") boolean quarkusMigratesAtStart,
                           @ConfigProperty(name = "quarkus.flyway.table", defaultValue = "flyway_schema_history")
                           String historyTable) {
        this.dataSource = dataSource;
        this.flyway = flyway;
        this.quarkusMigratesAtStart = quarkusFlywayActive.orElse(true) && quarkusMigratesAtStart;
        this.historyTable = historyTable;
    }

    /** First of the start-up observers: the others read and write the schema. */
    void migrate(@Observes @Priority(0) StartupEvent startup) throws SQLException {
        if (!quarkusMigratesAtStart && migrateIfBehind(dataSource, historyTable, () -> flyway)) {
            LOG.infof("Migrated the database schema to version %s", NEWEST);
        }
    }

    /** Whether the database answers with a schema at this build's version or later (the readiness check's question). */
    public boolean schemaCurrent() throws SQLException {
        return isCurrent(dataSource, historyTable);
    }

    /** Runs Flyway's migrate when the schema history is behind {@link #NEWEST}; true when it ran. */
    static boolean migrateIfBehind(DataSource dataSource, String historyTable, Supplier<Flyway> flyway)
            throws SQLException {
        if (isCurrent(dataSource, historyTable)) {
            return false;
        }
        flyway.get().migrate();
        return true;
    }

    /**
     * Whether the history (in the schema Flyway uses by default, the first of the search path) records
     * {@link #NEWEST} or a later version, and no failed migration. A newer version comes from a newer sessiond
     * on the same database; Flyway would ignore it as well.
     */
    static boolean isCurrent(DataSource dataSource, String historyTable) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement exists = connection.prepareStatement(TABLE_EXISTS)) {
            exists.setString(1, historyTable);
            try (ResultSet result = exists.executeQuery()) {
                result.next();
                if (!result.getBoolean(1)) {
                    return false;
                }
            }
            boolean newestApplied = false;
            try (PreparedStatement history = connection.prepareStatement(
                    String.format(HISTORY_VERSIONS, quoted(historyTable)));
                 ResultSet result = history.executeQuery()) {
                while (result.next()) {
                    if (!result.getBoolean("success")) {
                        return false;
                    }
                    newestApplied |= MigrationVersion.fromVersion(result.getString("version")).compareTo(NEWEST) >= 0;
                }
            }
            return newestApplied;
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
