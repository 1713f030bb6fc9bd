package io.sessiond.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * The single, strictly increasing change index shared by all tables (Consul's raft index), and the last
 * index of each table, which is what {@code X-Consul-Index} reports for a read over it.
 *
 * <p>Every write transaction starts with {@link #advance}: it locks the index rows of the tables it will
 * change, so writers of one table run one after the other and commit their indexes in order, and
 * nothing else is locked before, so writers never wait on each other in a cycle. The commit also sends a
 * PostgreSQL notification per table, which wakes blocking queries on every sessiond instance.
 */
@ApplicationScoped
public class ChangeIndex {

    /** The PostgreSQL notification channel; the payload is {@code <table>:<index>}. */
    public static final String CHANNEL = "sessiond_changes";

    private final EntityManager em;

    public ChangeIndex(EntityManager em) {
        this.em = em;
    }

    /**
     * Takes the next index for the calling write transaction and records it as the last change of
     * {@code tables}. Must be the transaction's first write or lock. The returned time is the database's
     * clock once the locks are held, not the transaction's start, which may be older after a wait.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public WriteStamp advance(Table... tables) {
        String[] names = Arrays.stream(tables).map(Table::sqlName).sorted().toArray(String[]::new);
        em.createNativeQuery("SELECT table_name FROM table_indexes WHERE table_name = ANY(?1) "
                        + "ORDER BY table_name FOR UPDATE")
                .setParameter(1, names)
                .getResultList();
        // The locks are held, so the sequence value taken now is larger than every committed one.
        Object[] row = (Object[]) em.createNativeQuery("UPDATE table_indexes "
                        + "SET modify_index = (SELECT nextval('change_index')) WHERE table_name = ANY(?1) "
                        + "RETURNING modify_index, clock_timestamp(), "
                        + "pg_notify('" + CHANNEL + "', table_name || ':' || modify_index)")
                .setParameter(1, names)
                .getResultList()
                .get(0);
        return new WriteStamp(((Number) row[0]).longValue(), toInstant(row[1]));
    }

    /** The last index that changed {@code table}; 1 for a table never written. */
    public long current(Table table) {
        Number index = (Number) em.createNativeQuery("SELECT modify_index FROM table_indexes WHERE table_name = ?1")
                .setParameter(1, table.sqlName())
                .getSingleResult();
        return index.longValue();
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}
