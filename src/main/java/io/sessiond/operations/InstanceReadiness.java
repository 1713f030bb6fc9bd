package io.sessiond.operations;

import io.sessiond.catalog.LocalNode;
import io.sessiond.config.SessiondConfig;
import io.sessiond.go.GoDuration;
import io.sessiond.index.ChangeListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Ready while this instance does its part: the change listener is connected (else its blocking queries
 * would learn of no change), and its node is registered with a heartbeat committed within half of
 * {@code sessiond.heartbeat.dead-after} (at least three heartbeat intervals), before its peers would declare it dead.
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
        this.heartbeatMaxAge = heartbeatMaxAge(interval(config.heartbeat().interval()), config.heartbeat().deadAfter());
    }

    /**
     * Half of dead-after, but never less than three heartbeat intervals (capped at dead-after): the scheduler
     * runs a job up to a tick late, so with a short dead-after one late heartbeat must not turn readiness DOWN.
     */
    static Duration heartbeatMaxAge(Duration interval, Duration deadAfter) {
        Duration half = deadAfter.dividedBy(2);
        Duration threeBeats = interval.multipliedBy(3);
        Duration atLeast = half.compareTo(threeBeats) >= 0 ? half : threeBeats;
        return atLeast.compareTo(deadAfter) <= 0 ? atLeast : deadAfter;
    }

    /** The heartbeat's schedule, as the scheduler reads it: {@code 2s}, {@code 500ms} or ISO-8601 ({@code PT2S}). */
    private static Duration interval(String every) {
        try {
            return Duration.ofNanos(GoDuration.parse(every));
        } catch (GoDuration.InvalidDurationException notGo) {
            return Duration.parse(every.toUpperCase(java.util.Locale.ROOT).startsWith("P") ? every : "PT" + every);
        }
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
