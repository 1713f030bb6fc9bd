package io.sessiond.operations;

import io.sessiond.catalog.LocalNode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once this instance's node is registered, the last step of the start-up (it runs beside the first requests). */
@Startup
@ApplicationScoped
public class NodeStarted implements HealthCheck {

    private final LocalNode localNode;

    public NodeStarted(LocalNode localNode) {
        this.localNode = localNode;
    }

    @Override
    public HealthCheckResponse call() {
        boolean registered = localNode.registered();
        return HealthCheckResponse.named("node").status(registered).withData("node", localNode.name()).build();
    }
}
