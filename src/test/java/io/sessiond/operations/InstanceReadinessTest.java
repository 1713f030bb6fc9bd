package io.sessiond.operations;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How old this instance's last heartbeat may be while it reports ready. */
class InstanceReadinessTest {

    @Test
    void halfOfDeadAfterWhenThatLeavesThreeHeartbeats() {
        assertEquals(Duration.ofMillis(7500), InstanceReadiness.heartbeatMaxAge(Duration.ofSeconds(2), Duration.ofSeconds(15)));
    }

    @Test
    void neverLessThanThreeHeartbeatsSoOneLateBeatKeepsItReady() {
        assertEquals(Duration.ofSeconds(3), InstanceReadiness.heartbeatMaxAge(Duration.ofSeconds(1), Duration.ofSeconds(4)));
    }

    @Test
    void neverMoreThanDeadAfter() {
        assertEquals(Duration.ofSeconds(3), InstanceReadiness.heartbeatMaxAge(Duration.ofSeconds(2), Duration.ofSeconds(3)));
    }
}
