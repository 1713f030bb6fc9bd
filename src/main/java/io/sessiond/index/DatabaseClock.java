package io.sessiond.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;

/**
 * The database's clock, which every expiry is judged by, so that instances whose clocks disagree still
 * agree on what has expired. Read it after the row locks a decision depends on are held.
 */
@ApplicationScoped
public class DatabaseClock {

    private static final String NOW = "SELECT clock_timestamp()";

    private final EntityManager em;

    public DatabaseClock(EntityManager em) {
        this.em = em;
    }

    /** {@code clock_timestamp()}: the time now, not the transaction's start, which may be older after a wait. */
    public Instant now() {
        return (Instant) em.createNativeQuery(NOW, Instant.class).getSingleResult();
    }
}
