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
 */
@ApplicationScoped
public class ChangeIndex {

    private final EntityManager em;

    public ChangeIndex(EntityManager em) {
        this.em = em;
    }

    /**
     * Takes the next index for the calling write transaction and records it as the last change of
     * {@code tables}. The tables' rows are locked first and the sequence read afterwards, so indexes of one
     * table are taken and committed in the same order: a reader that saw index N never misses a later
     * commit with a smaller index. Call it after locking the entity rows the write changes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public WriteStamp advance(Table... tables) {
        String[] names = Arrays.stream(tables).map(Table::sqlName).toArray(String[]::new);
        em.createNativeQuery("SELECT table_name FROM table_indexes WHERE table_name = ANY(?1) "
                        + "ORDER BY table_name FOR UPDATE")
                .setParameter(1, names)
                .getResultList();
        Object[] row = (Object[]) em.createNativeQuery("UPDATE table_indexes "
                        + "SET modify_index = (SELECT nextval('change_index')) "
                        + "WHERE table_name = ANY(?1) RETURNING modify_index, now()")
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
