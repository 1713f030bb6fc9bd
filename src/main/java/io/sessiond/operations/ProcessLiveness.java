package io.sessiond.operations;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the process serves HTTP: answering this is the check. It asks nothing of the database, so an
 * outage of PostgreSQL makes instances unready (no traffic) rather than dead (restarted in a loop).
 */
@Liveness
@ApplicationScoped
public class ProcessLiveness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("http");
    }
}
