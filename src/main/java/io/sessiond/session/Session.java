package io.sessiond.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A session: a liveness lease on a node, bound to health checks, that may hold locks and expires TTL x 2
 * after its creation or last renewal. A stored session is alive; past {@code expiresAt} it is due, and the
 * expiry ends it by deleting its row and releasing its keys in one write ({@link SessionExpiry}).
 */
@Entity
@Table(name = "sessions")
public class Session extends PanacheEntityBase {

    /** Consul's grace period: a session with TTL t lives until t x 2 after its last renewal. */
    public static final int TTL_MULTIPLIER = 2;

    /** Consul's default lock-delay. */
    public static final long DEFAULT_LOCK_DELAY_NS = 15_000_000_000L;

    @Id
    public UUID id;

    public String name;

    public String node;

    public long lockDelayNs;

    /** {@code release} or {@code delete}; see {@link SessionBehavior}. */
    public String behavior;

    /** The TTL exactly as the client wrote it; empty for none. */
    public String ttl;

    public long ttlNs;

    public String[] nodeChecks;

    public String[] serviceChecks;

    public String[] checks;

    public long createIndex;

    public long modifyIndex;

    public Instant createdAt;

    public Instant lastRenewedAt;

    /** The session's deadline: the one column the expiry reads (null: no TTL, never due). */
    public Instant expiresAt;

    /** The service (application) the session was created on. */
    public String service;

    /** The creating client's address and port; null when not recorded. */
    public String remoteAddress;

    public Integer remotePort;

    /** Set by a deferred kill: when it was asked for, and when the session ends (expiresAt is capped at it). */
    public Instant stopRequestedAt;

    public Instant stopAt;

    /** Stopping: a deferred kill is pending. */
    public boolean isStopping() {
        return stopAt != null;
    }
}
