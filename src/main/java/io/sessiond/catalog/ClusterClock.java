package io.sessiond.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.util.Optional;

/**
 * Grace after an outage. Every deadline (a session's expiry, an instance's heartbeat, a TTL check's) is
 * judged by {@code cluster_now()}, the database's clock that stops while no instance can record a heartbeat
 * (see the migration {@code V12__cluster_clock.sql}): nothing expires for a renewal or a heartbeat that the
 * outage prevented. The first heartbeat after it pushes every deadline set before the clock stopped by the
 * outage's length, measured on the database's clock from the last heartbeat any instance recorded, gives those
 * set while it stood a whole life from then, and restarts the clock, in one transaction: the clock's row lock
 * makes the other instances' heartbeats wait for it and then find no outage, so the push is applied once.
 * Consul does the same in its way: a new leader resets every session's timer to a full TTL.
 */
@ApplicationScoped
public class ClusterClock {

    /** Taken first: the other instances' heartbeats wait here until this one has pushed and committed. */
    private static final String LOCK = "SELECT 1 FROM cluster_clock FOR UPDATE";
    /** Microseconds since the last heartbeat any instance recorded, and the clock's stops_after. */
    private static final String SINCE_LAST_HEARTBEAT = """
            SELECT CAST(extract(epoch FROM clock_timestamp() - alive_at) * 1e6 AS bigint),
                CAST(extract(epoch FROM stops_after) * 1e6 AS bigint) FROM cluster_clock""";
    /** When the clock stopped: what had expired by then stays expired. */
    private static final String FROZEN = "(SELECT alive_at + stops_after FROM cluster_clock)";
    /**
     * ?1: the push in microseconds. Every session alive when the clock stopped: one whose deadline was set
     * before gets it pushed; one renewed or created while the clock stood (the database still answered, but no
     * instance recorded a heartbeat, or it answered again before this ran) gets at least a whole life from now,
     * as a new Consul leader gives every session, since how much of its life the outage took is not known.
     * Rows locked in ID order, as every writer of several sessions locks them. A deferred kill's stop time
     * still caps the expiry.
     */
    private static final String PUSH_SESSIONS = """
            UPDATE sessions s SET expires_at = least(CASE WHEN s.last_renewed_at <= %1$s
                THEN s.expires_at + make_interval(secs => ?1 / 1e6)
                ELSE greatest(s.expires_at, clock_timestamp() + (s.expires_at - s.last_renewed_at)) END, s.stop_at)
            FROM (SELECT id FROM sessions WHERE expires_at > %1$s ORDER BY id FOR NO KEY UPDATE) AS due
            WHERE s.id = due.id""".formatted(FROZEN);
    private static final String PUSH_HEARTBEATS = """
            UPDATE nodes SET heartbeat_at = heartbeat_at + make_interval(secs => ?1 / 1e6)
            WHERE heartbeat_at <= %s""".formatted(FROZEN);
    /** As {@link #PUSH_SESSIONS}: a TTL check restarted while the clock stood gets at least a whole TTL from now. */
    private static final String PUSH_TTL_CHECKS = """
            UPDATE checks SET ttl_expires_at = CASE WHEN ttl_expires_at - make_interval(secs => ttl_ns / 1e9) <= %1$s
                THEN ttl_expires_at + make_interval(secs => ?1 / 1e6)
                ELSE greatest(ttl_expires_at, clock_timestamp() + make_interval(secs => ttl_ns / 1e9)) END
            WHERE ttl_expires_at > %1$s""".formatted(FROZEN);
    /** ?1: this instance's stops_after in milliseconds. */
    private static final String RECORD_ALIVE = """
            UPDATE cluster_clock SET alive_at = greatest(alive_at, clock_timestamp()),
                stops_after = make_interval(secs => ?1 / 1000.0)""";

    /** An outage this instance found and made up for: its length and how many deadlines were pushed. */
    public record Outage(Duration length, long sessions, long heartbeats, long checks) {

        /** The line an instance logs when it made up for an outage. */
        public String describe() {
            return "No instance could record a heartbeat for %d ms (the database was unreachable, or every instance was down):"
                    .formatted(length.toMillis())
                    + " pushed %d session expiries, %d instance heartbeats and %d TTL checks".formatted(sessions, heartbeats, checks);
        }
    }

    private final EntityManager em;

    public ClusterClock(EntityManager em) {
        this.em = em;
    }

    /**
     * Records that the cluster is alive now; if nobody had for longer than the clock's {@code stops_after},
     * pushes the deadlines set before by the time since and returns that outage. {@code stopsAfter} becomes
     * the clock's new {@code stops_after}.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Outage> tick(Duration stopsAfter) {
        em.createNativeQuery(LOCK).getResultList();
        Object[] since = (Object[]) em.createNativeQuery(SINCE_LAST_HEARTBEAT).getSingleResult();
        long lengthMicros = ((Number) since[0]).longValue();
        Optional<Outage> outage = Optional.empty();
        if (lengthMicros > ((Number) since[1]).longValue()) {
            outage = Optional.of(new Outage(Duration.ofNanos(lengthMicros * 1000),
                    push(PUSH_SESSIONS, lengthMicros), push(PUSH_HEARTBEATS, lengthMicros), push(PUSH_TTL_CHECKS, lengthMicros)));
        }
        em.createNativeQuery(RECORD_ALIVE).setParameter(1, stopsAfter.toMillis()).executeUpdate();
        return outage;
    }

    private long push(String statement, long micros) {
        return em.createNativeQuery(statement).setParameter(1, micros).executeUpdate();
    }
}
