package io.sessiond.session;

import io.sessiond.index.ChangeIndex;
import io.sessiond.index.WriteStamp;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The statements of the session write path, plain JDBC on the group-commit batch's connection: each one
 * statement for a whole batch (arrays in, rows out), so that a batch costs one round trip per statement
 * however many requests it carries. Every column a create or a renew sets is set here and nowhere else.
 */
@ApplicationScoped
public class SessionStore {

    /*
     * Reads of sessions with the sessions table's change index, each one statement, hence from one snapshot:
     * one X-Consul-Index is one state. A stored session is alive (see SessionExpiry), so none looks at a clock.
     */
    /** The session of the ID (none for a null ID). */
    private static final String FIND_WITH_INDEX = """
            SELECT i.modify_index AS table_index, s.*
            FROM table_indexes i LEFT JOIN sessions s ON s.id = ? WHERE i.table_name = 'sessions'""";
    /** The sessions on a node (any case), by ID. */
    private static final String LIST_ON_NODE_WITH_INDEX = """
            SELECT i.modify_index AS table_index, s.*
            FROM table_indexes i LEFT JOIN sessions s ON lower(s.node) = lower(?)
            WHERE i.table_name = 'sessions' ORDER BY s.id""";
    /** Every session, by ID. */
    private static final String LIST_WITH_INDEX = """
            SELECT i.modify_index AS table_index, s.*
            FROM table_indexes i LEFT JOIN sessions s ON true WHERE i.table_name = 'sessions' ORDER BY s.id""";

    /**
     * Share-locks the nodes of a batch of creates (lower-case names) and the checks it binds on them, and reads
     * each node with its one service (or the default) and those checks with their status.
     */
    private static final String LOCK_CREATE_TARGETS = """
            WITH n AS (SELECT name FROM nodes WHERE lower(name) = ANY(?) FOR SHARE),
            c AS (SELECT node, check_id, status FROM checks WHERE node IN (SELECT name FROM n) AND check_id = ANY(?) FOR SHARE)
            SELECT n.name, (SELECT CASE WHEN count(DISTINCT service_name) = 1 THEN min(service_name) ELSE ? END
            FROM services WHERE node = n.name), c.check_id, c.status FROM n LEFT JOIN c ON c.node = n.name""";

    /** Inserts a batch of sessions from one array per column; every column a create sets is set here. */
    private static final String INSERT_SESSIONS = """
            INSERT INTO sessions (id, name, node, lock_delay_ns, behavior, ttl, ttl_ns,
            node_checks, service_checks, checks, service, remote_address, remote_port, create_index, modify_index,
            created_at, last_renewed_at, expires_at)
            SELECT r.id, r.name, r.node, r.lock_delay_ns, r.behavior, r.ttl, r.ttl_ns, CAST(r.node_checks AS text[]),
            CAST(r.service_checks AS text[]), CAST(r.checks AS text[]), r.service, r.remote_address, r.remote_port,
            t.idx, t.idx, t.now, t.now, CASE WHEN r.ttl_ns = 0 THEN NULL
            ELSE t.now + make_interval(secs => r.ttl_ns * t.multiplier / 1e9) END
            FROM unnest(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) AS r(id, name, node, lock_delay_ns, behavior, ttl, ttl_ns,
            node_checks, service_checks, checks, service, remote_address, remote_port),
            (SELECT CAST(? AS bigint) AS idx, CAST(? AS timestamptz) AS now, CAST(? AS int) AS multiplier) AS t
            RETURNING *""";

    /** Renews the stored ones of a batch, rows locked in ID order; a deferred kill's stop time caps the expiry. */
    private static final String RENEW_SESSIONS = """
            UPDATE sessions s SET last_renewed_at = now(),
            expires_at = least(CASE WHEN s.ttl_ns = 0 THEN NULL
            ELSE now() + make_interval(secs => s.ttl_ns * CAST(? AS int) / 1e9) END, s.stop_at)
            FROM (SELECT id FROM sessions WHERE id = ANY(?)
            ORDER BY id FOR NO KEY UPDATE) AS stored WHERE s.id = stored.id RETURNING s.*""";

    private final DataSource dataSource;

    public SessionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The session with {@code id} (empty for none, or for a null ID) and the sessions table's change index,
     * read by one statement, hence from one snapshot, with plain JDBC: outside a transaction this is one
     * round trip, the cheapest read there is.
     */
    public SessionReads.Snapshot find(UUID id) {
        return snapshot(FIND_WITH_INDEX, id);
    }

    /** The sessions on {@code node} (any case), or all sessions for null, with the index: see {@link #find}. */
    public SessionReads.Snapshot list(String node) {
        return node == null ? snapshot(LIST_WITH_INDEX) : snapshot(LIST_ON_NODE_WITH_INDEX, node);
    }

    /** The rows {@code sql} (one of the reads with the index) returns for {@code parameters} (null allowed). */
    private SessionReads.Snapshot snapshot(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                long index = 0;
                List<Session> sessions = new ArrayList<>();
                while (row.next()) {
                    index = row.getLong("table_index");
                    if (row.getObject("id") != null) {
                        sessions.add(session(row));
                    }
                }
                return new SessionReads.Snapshot(sessions, index);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading sessions " + Arrays.toString(parameters) + " failed", e);
        }
    }

    /** A node a batch of creates binds sessions to, share-locked with the checks the batch binds on it. */
    record CreateTarget(String node, String service, Map<String, String> checkStatuses) {
    }

    /**
     * The statement that share-locks the nodes named (lower case) by a batch of creates and those of
     * {@code checkIds} registered on them, so that none of them is removed or turns critical before the
     * batch commits; it reads each node with its one service (or {@code default}) and those checks with
     * their status, keyed by the node's lower-case name. Sent right after the change index is taken.
     */
    ChangeIndex.Next<Map<String, CreateTarget>> lockCreateTargets(Connection connection, Set<String> lowerNodes,
                                                                  Set<String> checkIds) {
        return new ChangeIndex.Next<>() {
            @Override
            public String sql() {
                return LOCK_CREATE_TARGETS;
            }

            @Override
            public void bind(PreparedStatement statement, int first) throws SQLException {
                statement.setArray(first, connection.createArrayOf("text", lowerNodes.toArray()));
                statement.setArray(first + 1, connection.createArrayOf("text", checkIds.toArray()));
                statement.setString(first + 2, SessionRules.DEFAULT_SERVICE);
            }

            @Override
            public Map<String, CreateTarget> read(ResultSet row) throws SQLException {
                Map<String, CreateTarget> targets = new HashMap<>();
                while (row.next()) {
                    String node = row.getString(1);
                    String service = row.getString(2);
                    CreateTarget target = targets.computeIfAbsent(node.toLowerCase(Locale.ROOT),
                            lower -> new CreateTarget(node, service, new HashMap<>()));
                    String checkId = row.getString(3);
                    if (checkId != null) {
                        target.checkStatuses().put(checkId, row.getString(4));
                    }
                }
                return targets;
            }
        };
    }

    /**
     * Inserts {@code sessions} (everything but the indexes and times set) with the index and the time of
     * {@code stamp}, and commits the transaction in the same round trip; returns the stored rows, committed.
     * The caller took {@code stamp} for the sessions table, and this is its transaction's last statement.
     */
    List<Session> insert(Connection connection, List<Session> sessions, WriteStamp stamp) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_SESSIONS + GroupCommit.AND_COMMIT)) {
            statement.setArray(1, array(connection, "uuid", sessions, s -> s.id));
            statement.setArray(2, array(connection, "text", sessions, s -> s.name));
            statement.setArray(3, array(connection, "text", sessions, s -> s.node));
            statement.setArray(4, array(connection, "int8", sessions, s -> s.lockDelayNs));
            statement.setArray(5, array(connection, "text", sessions, s -> s.behavior));
            statement.setArray(6, array(connection, "text", sessions, s -> s.ttl));
            statement.setArray(7, array(connection, "int8", sessions, s -> s.ttlNs));
            statement.setArray(8, array(connection, "text", sessions, s -> arrayLiteral(s.nodeChecks)));
            statement.setArray(9, array(connection, "text", sessions, s -> arrayLiteral(s.serviceChecks)));
            statement.setArray(10, array(connection, "text", sessions, s -> arrayLiteral(s.checks)));
            statement.setArray(11, array(connection, "text", sessions, s -> s.service));
            statement.setArray(12, array(connection, "text", sessions, s -> s.remoteAddress));
            statement.setArray(13, array(connection, "int4", sessions, s -> s.remotePort));
            statement.setLong(14, stamp.index());
            statement.setObject(15, stamp.now().atOffset(ZoneOffset.UTC));
            statement.setInt(16, Session.TTL_MULTIPLIER);
            // Throws if any statement of the round trip failed, the commit included.
            statement.execute();
            try (ResultSet rows = statement.getResultSet()) {
                return sessions(rows);
            }
        }
    }

    /**
     * Resets the expiry of those of {@code ids} that are stored (alive: see {@link SessionExpiry}) to TTL x 2
     * from now (database time), never past a deferred kill's stop time (least() ignores NULLs), and returns
     * them. A session past its deadline that the expiry has not ended yet is renewed, as Consul renews a
     * session whose timer fired until its invalidation is applied; one the expiry holds is renewed only if
     * it survives it, which it does not.
     * Rows are locked in ID order, as every other writer that locks several sessions does.
     */
    List<Session> renew(Connection connection, Collection<UUID> ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RENEW_SESSIONS)) {
            statement.setInt(1, Session.TTL_MULTIPLIER);
            statement.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
            return sessions(statement);
        }
    }

    private static List<Session> sessions(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return sessions(rows);
        }
    }

    private static List<Session> sessions(ResultSet rows) throws SQLException {
        List<Session> sessions = new ArrayList<>();
        while (rows.next()) {
            sessions.add(session(rows));
        }
        return sessions;
    }

    private static Array array(Connection connection, String type, List<Session> sessions, Function<Session, Object> column)
            throws SQLException {
        Object[] values = new Object[sessions.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(sessions.get(i));
        }
        return connection.createArrayOf(type, values);
    }


    private static Session session(ResultSet row) throws SQLException {
        Session session = new Session();
        session.id = row.getObject("id", UUID.class);
        session.name = row.getString("name");
        session.node = row.getString("node");
        session.lockDelayNs = row.getLong("lock_delay_ns");
        session.behavior = row.getString("behavior");
        session.ttl = row.getString("ttl");
        session.ttlNs = row.getLong("ttl_ns");
        session.nodeChecks = strings(row.getArray("node_checks"));
        session.serviceChecks = strings(row.getArray("service_checks"));
        session.checks = strings(row.getArray("checks"));
        session.createIndex = row.getLong("create_index");
        session.modifyIndex = row.getLong("modify_index");
        session.createdAt = instant(row, "created_at");
        session.lastRenewedAt = instant(row, "last_renewed_at");
        session.expiresAt = instant(row, "expires_at");
        session.service = row.getString("service");
        session.remoteAddress = row.getString("remote_address");
        session.remotePort = row.getObject("remote_port", Integer.class);
        session.stopRequestedAt = instant(row, "stop_requested_at");
        session.stopAt = instant(row, "stop_at");
        return session;
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? null : (String[]) array.getArray();
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A one-dimensional PostgreSQL array literal of {@code values} (each quoted), or null for null. */
    private static String arrayLiteral(String[] values) {
        if (values == null) {
            return null;
        }
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"').append(values[i].replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }
}
