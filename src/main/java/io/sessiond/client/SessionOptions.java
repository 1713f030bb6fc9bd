package io.sessiond.client;

import java.time.Duration;
import java.util.Optional;

/**
 * How a session is created: its TTL (renewed automatically while it is open), lock-delay, behavior and
 * name. Immutable; each {@code with...} returns a changed copy.
 */
public final class SessionOptions {

    /** What happens to the keys a session holds when it ends. */
    public enum Behavior { RELEASE, DELETE }

    /** Default renewal interval ceiling: renew at half the TTL, but at least this often. */
    static final Duration MAX_RENEW_INTERVAL = Duration.ofSeconds(150);

    private final String name;
    private final Duration ttl;
    private final Duration lockDelay;
    private final Behavior behavior;
    private final Duration renewInterval;

    private SessionOptions(String name, Duration ttl, Duration lockDelay, Behavior behavior, Duration renewInterval) {
        this.name = name;
        this.ttl = ttl;
        this.lockDelay = lockDelay;
        this.behavior = behavior;
        this.renewInterval = renewInterval;
    }

    /** A session named {@code name} with a 15 s TTL, 15 s lock-delay and the release behavior (Consul's lock defaults). */
    public static SessionOptions named(String name) {
        return new SessionOptions(name, Duration.ofSeconds(15), Duration.ofSeconds(15), Behavior.RELEASE, null);
    }

    public SessionOptions withTtl(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("A client session needs a positive TTL, got " + ttl);
        }
        return new SessionOptions(name, ttl, lockDelay, behavior, renewInterval);
    }

    public SessionOptions withLockDelay(Duration lockDelay) {
        return new SessionOptions(name, ttl, lockDelay, behavior, renewInterval);
    }

    public SessionOptions withBehavior(Behavior behavior) {
        return new SessionOptions(name, ttl, lockDelay, behavior, renewInterval);
    }

    /** Renew this often instead of the default, min(TTL/2, 150 s); must be shorter than the TTL. */
    public SessionOptions withRenewInterval(Duration renewInterval) {
        if (renewInterval.compareTo(ttl) >= 0 || renewInterval.isNegative() || renewInterval.isZero()) {
            throw new IllegalArgumentException("The renew interval must be positive and shorter than the TTL (" + ttl
                    + "), got " + renewInterval);
        }
        return new SessionOptions(name, ttl, lockDelay, behavior, renewInterval);
    }

    public String name() {
        return name;
    }

    public Duration ttl() {
        return ttl;
    }

    public Duration lockDelay() {
        return lockDelay;
    }

    public Behavior behavior() {
        return behavior;
    }

    public Duration renewInterval() {
        Duration half = ttl.dividedBy(2);
        return Optional.ofNullable(renewInterval).orElse(half.compareTo(MAX_RENEW_INTERVAL) < 0 ? half : MAX_RENEW_INTERVAL);
    }
}
