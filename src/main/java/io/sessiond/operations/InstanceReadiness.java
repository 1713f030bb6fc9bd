package io.sessiond.operations;

import io.sessiond.catalog.LocalNode;
import io.sessiond.config.SessiondConfig;
import io.sessiond.index.ChangeListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Ready while this instance does its part: the change listener is connected (else its blocking queries
 * would learn of no change), and its node is registered with a heartbeat committed within half of
 * {@code sessiond.heartbeat.dead-after}, well before its peers would declare it dead.
 */
@Readiness
@ApplicationScoped
public class InstanceReadiness implements HealthCheck {

    static final String NAME = "instance";

    private final ChangeListener changes;
    private final LocalNode localNode;
    private final Duration heartbeatMaxAge;

    public InstanceReadiness(ChangeListener changes, LocalNode localNode, SessiondConfig config) {
        this.changes = changes;
        this.localNode = localNode;
        this.heartbeatMaxAge = config.heartbeat().deadAfter().dividedBy(2);
    }

    @Override
    public HealthCheckResponse call() {
        boolean listening = changes.listening();
        boolean alive = localNode.aliveWithin(heartbeatMaxAge);
        return HealthCheckResponse.named(NAME).status(listening && alive)
                .withData("node", localNode.name())
                .withData("changeListener", listening ? "connected" : "disconnected")
                .withData("heartbeat", alive ? "recent" : "none within " + heartbeatMaxAge.toMillis() + " ms")
                .build();
    }
}
