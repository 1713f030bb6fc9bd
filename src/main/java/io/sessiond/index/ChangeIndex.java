package io.sessiond.index;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 *
 * <p>A write that finds, under those locks, that it changes nothing (deleting what is not there, a failed
 * check-and-set) ends with {@link #nothingChanged}: as in Consul, it moves no index and wakes nobody. Its
 * transaction rolls back, which undoes the index rows' update and drops the notification (PostgreSQL sends
 * them only on commit); the sequence value it took is a gap no reader ever sees.
 */
@ApplicationScoped
public class ChangeIndex {

    /** The PostgreSQL notification channel; the payload is {@code <table>:<index>}. */
    public static final String CHANNEL = "sessiond_changes";

    /** What an advance returns and sends, for the index rows it updated. */
    private static final String RETURNING = " RETURNING modify_index, clock_timestamp(), "
            + "pg_notify('" + CHANNEL + "', table_name || ':' || modify_index)";

    /*
     * One table: one statement. Its row lock is taken by the UPDATE itself; if another writer holds it,
     * PostgreSQL re-evaluates the new row (so nextval() runs again) once that writer committed, so the
     * value stored is still taken while the lock is held, larger than every committed one.
     */
    private static final String ADVANCE_ONE = """
            UPDATE table_indexes SET modify_index = nextval('change_index')
            WHERE table_name = ?""" + RETURNING;

    /* Several tables: their rows are locked first, in alphabetical order, then the one index is taken. */
    private static final String LOCK_SEVERAL = """
            SELECT table_name FROM table_indexes WHERE table_name = ANY(?)
            ORDER BY table_name FOR UPDATE""";
    private static final String ADVANCE_SEVERAL = """
            UPDATE table_indexes SET modify_index = (SELECT nextval('change_index'))
            WHERE table_name = ANY(?)""" + RETURNING;

    /**
     * The index the calling write transaction took, in SQL: for a statement sent in the same round trip as
     * the advance, which cannot bind it. The sequence's last value on this connection is the one stored: the
     * several-table advance takes it once, with its rows already locked.
     */
    public static final String THIS_WRITES_INDEX = "currval('change_index')";

    private static final String CURRENT_INDEX = "SELECT modify_index FROM table_indexes WHERE table_name = ?";

    private final EntityManager em;
    private final TransactionManager transactions;

    public ChangeIndex(EntityManager em, TransactionManager transactions) {
        this.em = em;
        this.transactions = transactions;
    }

    /**
     * Ends the calling write transaction as one that changed nothing: it is marked for rollback, so the index
     * it took is never recorded nor notified. Only for a write that has written nothing else. A plain JDBC
     * transaction rolls back its connection instead. Returns false, what a write that changed nothing
     * answers, so that such a write can end with {@code return changeIndex.nothingChanged();}.
     */
    public boolean nothingChanged() {
        try {
            if (transactions.getStatus() == Status.STATUS_ACTIVE) {
                transactions.setRollbackOnly();
            }
        } catch (SystemException e) {
            throw new IllegalStateException("Cannot mark the transaction for rollback", e);
        }
        return false;
    }

    /**
     * Takes the next index for the calling write transaction and records it as the last change of
     * {@code tables}. Must be the transaction's first write or lock. The returned time is the database's
     * clock once the locks are held, not the transaction's start, which may be older after a wait.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public WriteStamp advance(Table... tables) {
        return em.unwrap(Session.class).doReturningWork(connection -> advance(connection, tables));
    }

    /**
     * {@link #advance(Table...)} for a transaction run with plain JDBC on {@code connection} (auto-commit
     * off); the same rules hold: it must be the transaction's first write or lock.
     */
    public WriteStamp advance(Connection connection, Table... tables) throws SQLException {
        if (tables.length == 1) {
            try (PreparedStatement advance = connection.prepareStatement(ADVANCE_ONE)) {
                advance.setString(1, tables[0].sqlName());
                return stamp(advance);
            }
        }
        Array tableNames = connection.createArrayOf("text", sortedNames(tables));
        try (PreparedStatement lock = connection.prepareStatement(LOCK_SEVERAL);
             PreparedStatement advance = connection.prepareStatement(ADVANCE_SEVERAL)) {
            lock.setArray(1, tableNames);
            lock.executeQuery().close();
            // The locks are held, so the sequence value taken now is larger than every committed one.
            advance.setArray(1, tableNames);
            return stamp(advance);
        }
    }

    /** A statement sent right after the advance: sets its parameters, reads its rows. */
    public interface Next<T> {
        /** The statement; its parameters are numbered from {@code first}. */
        String sql();

        void bind(PreparedStatement statement, int first) throws SQLException;

        T read(ResultSet rows) throws SQLException;
    }

    /** What {@link #advanceThen} got: the stamp and what the next statement returned. */
    public record Stamped<T>(WriteStamp stamp, T next) {
    }

    /**
     * {@link #advance(Connection, Table...)} of one table, and {@code next}, the transaction's next
     * statement, sent with it in one round trip. PostgreSQL runs them in order, so the index row is still
     * the first thing locked; a batch saves a round trip per request it would otherwise wait for.
     */
    public <T> Stamped<T> advanceThen(Connection connection, Table table, Next<T> next) throws SQLException {
        try (PreparedStatement both = connection.prepareStatement(ADVANCE_ONE + "; " + next.sql())) {
            both.setString(1, table.sqlName());
            next.bind(both, 2);
            both.execute();
            return stampThen(both, next);
        }
    }

    /**
     * {@link #advance(Connection, Table...)} of several tables (their rows locked in order, then the index
     * taken), and {@code next}, all sent in one round trip: PostgreSQL runs them in order, so the index rows
     * are still locked before anything else. {@code next} may use the index this write took as
     * {@link #THIS_WRITES_INDEX}.
     */
    public <T> Stamped<T> advanceThen(Connection connection, Table[] tables, Next<T> next) throws SQLException {
        Array tableNames = connection.createArrayOf("text", sortedNames(tables));
        try (PreparedStatement all = connection.prepareStatement(LOCK_SEVERAL + "; " + ADVANCE_SEVERAL + "; " + next.sql())) {
            all.setArray(1, tableNames);
            all.setArray(2, tableNames);
            next.bind(all, 3);
            all.execute();
            // The first result is the locked rows: only their locks matter.
            all.getMoreResults();
            return stampThen(all, next);
        }
    }

    /** The stamp, the current result of {@code statement}, and what {@code next} reads from the result after it. */
    private static <T> Stamped<T> stampThen(PreparedStatement statement, Next<T> next) throws SQLException {
        WriteStamp stamp;
        try (ResultSet row = statement.getResultSet()) {
            stamp = stamp(row);
        }
        statement.getMoreResults();
        try (ResultSet rows = statement.getResultSet()) {
            return new Stamped<>(stamp, next.read(rows));
        }
    }

    private static String[] sortedNames(Table[] tables) {
        return Arrays.stream(tables).map(Table::sqlName).sorted().distinct().toArray(String[]::new);
    }

    private static WriteStamp stamp(PreparedStatement advance) throws SQLException {
        try (ResultSet row = advance.executeQuery()) {
            return stamp(row);
        }
    }

    private static WriteStamp stamp(ResultSet row) throws SQLException {
        row.next();
        return new WriteStamp(row.getLong(1), row.getObject(2, OffsetDateTime.class).toInstant());
    }

    /**
     * The last index that changed {@code table}; 1 for a table never written. Plain JDBC on the transaction's
     * connection: a Hibernate native query would ask the driver for its column's type name, which costs a
     * catalog query on every connection's first read (the first request after start-up waits for it).
     */
    public long current(Table table) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement current = connection.prepareStatement(CURRENT_INDEX)) {
                current.setString(1, table.sqlName());
                try (ResultSet row = current.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }
}
