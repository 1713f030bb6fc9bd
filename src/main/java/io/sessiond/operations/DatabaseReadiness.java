package io.sessiond.operations;

import io.sessiond.schema.SchemaMigration;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.SQLException;

/**
 * Ready while the database answers with a current schema (two small queries on a pooled connection). While
 * PostgreSQL is unreachable the check fails, and the instance is ready again as soon as it answers, without
 * a restart: the pool opens new connections as they are asked for.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    static final String NAME = "database";

    private final SchemaMigration schema;

    public DatabaseReadiness(SchemaMigration schema) {
        this.schema = schema;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            boolean current = schema.schemaCurrent();
            return HealthCheckResponse.named(NAME).status(current)
                    .withData("schema", current ? "current" : "behind this build's migrations").build();
        } catch (SQLException | RuntimeException e) {
            // The driver's message names the host and port, never the password.
            return HealthCheckResponse.named(NAME).down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
