package io.sessiond.session;

import io.sessiond.index.WriteStamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The statements that create and renew sessions, each one statement for a whole group-commit batch
 * (arrays in, rows out), so that a batch costs one round trip however many requests it carries. Every
 * column a create or a renew sets is set here and nowhere else.
 */
@ApplicationScoped
public class SessionStore {

    private final EntityManager em;
    private final DataSource dataSource;

    public SessionStore(EntityManager em, DataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
    }

    /**
     * The live session with {@code id} (empty for none, or for a null ID) and the sessions table's change
     * index, read by one statement, hence from one snapshot, with plain JDBC: outside a transaction this
     * is one round trip, the cheapest read there is.
     */
    public SessionService.Snapshot findAlive(UUID id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT i.modify_index AS table_index, s.* "
                     + "FROM table_indexes i LEFT JOIN sessions s ON s.id = ? "
                     + "AND (s.expires_at IS NULL OR s.expires_at > now()) WHERE i.table_name = 'sessions'")) {
            statement.setObject(1, id);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                long index = row.getLong("table_index");
                return new SessionService.Snapshot(row.getObject("id") == null ? List.of() : List.of(session(row)), index);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading session " + id + " failed", e);
        }
    }

    /**
     * Inserts {@code sessions} (everything but the indexes and times set) with the index and the time of
     * {@code stamp}; returns the stored rows. The caller took {@code stamp} for the sessions table.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Session> insert(List<Session> sessions, WriteStamp stamp) {
        @SuppressWarnings("unchecked")
        List<Session> stored = em.createNativeQuery("INSERT INTO sessions (id, name, node, lock_delay_ns, behavior, ttl, "
                        + "ttl_ns, node_checks, service_checks, checks, create_index, modify_index, created_at, "
                        + "last_renewed_at, expires_at, service, remote_address, remote_port) "
                        + "SELECT r.id, r.name, r.node, r.lock_delay_ns, r.behavior, r.ttl, r.ttl_ns, "
                        + "CAST(r.node_checks AS text[]), CAST(r.service_checks AS text[]), CAST(r.checks AS text[]), "
                        + "?11, ?11, CAST(?12 AS timestamptz), CAST(?12 AS timestamptz), CASE WHEN r.ttl_ns = 0 THEN NULL "
                        + "ELSE CAST(?12 AS timestamptz) + make_interval(secs => r.ttl_ns * ?13 / 1e9) END, "
                        + "r.service, r.remote_address, r.remote_port "
                        + "FROM unnest(CAST(?1 AS uuid[]), CAST(?2 AS text[]), CAST(?3 AS text[]), CAST(?4 AS bigint[]), "
                        + "CAST(?5 AS text[]), CAST(?6 AS text[]), CAST(?7 AS bigint[]), CAST(?8 AS text[]), "
                        + "CAST(?9 AS text[]), CAST(?10 AS text[]), CAST(?14 AS text[]), CAST(?15 AS text[]), "
                        + "CAST(?16 AS int[])) AS r(id, name, node, lock_delay_ns, behavior, ttl, ttl_ns, node_checks, "
                        + "service_checks, checks, service, remote_address, remote_port) "
                        + "RETURNING *", Session.class)
                .setParameter(1, sessions.stream().map(s -> s.id).toArray(UUID[]::new))
                .setParameter(2, sessions.stream().map(s -> s.name).toArray(String[]::new))
                .setParameter(3, sessions.stream().map(s -> s.node).toArray(String[]::new))
                .setParameter(4, sessions.stream().map(s -> s.lockDelayNs).toArray(Long[]::new))
                .setParameter(5, sessions.stream().map(s -> s.behavior).toArray(String[]::new))
                .setParameter(6, sessions.stream().map(s -> s.ttl).toArray(String[]::new))
                .setParameter(7, sessions.stream().map(s -> s.ttlNs).toArray(Long[]::new))
                .setParameter(8, sessions.stream().map(s -> arrayLiteral(s.nodeChecks)).toArray(String[]::new))
                .setParameter(9, sessions.stream().map(s -> arrayLiteral(s.serviceChecks)).toArray(String[]::new))
                .setParameter(10, sessions.stream().map(s -> arrayLiteral(s.checks)).toArray(String[]::new))
                .setParameter(11, stamp.index())
                .setParameter(12, stamp.now())
                .setParameter(13, Session.TTL_MULTIPLIER)
                .setParameter(14, sessions.stream().map(s -> s.service).toArray(String[]::new))
                .setParameter(15, sessions.stream().map(s -> s.remoteAddress).toArray(String[]::new))
                .setParameter(16, sessions.stream().map(s -> s.remotePort).toArray(Integer[]::new))
                .getResultList();
        return stored;
    }

    /**
     * Resets the expiry of those of {@code ids} that are alive to TTL x 2 from now (database time), never
     * past a deferred kill's stop time (least() ignores NULLs), and returns them. A session past its expiry
     * is gone even before the sweeper removed it: not renewed.
     * Rows are locked in ID order, as every other writer that locks several sessions does.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Session> renew(Collection<UUID> ids) {
        @SuppressWarnings("unchecked")
        List<Session> renewed = em.createNativeQuery("UPDATE sessions s SET last_renewed_at = now(), "
                        + "expires_at = least(CASE WHEN s.ttl_ns = 0 THEN NULL "
                        + "ELSE now() + make_interval(secs => s.ttl_ns * ?2 / 1e9) END, s.stop_at) "
                        + "FROM (SELECT id FROM sessions WHERE id = ANY(?1) AND (expires_at IS NULL OR expires_at > now()) "
                        + "ORDER BY id FOR NO KEY UPDATE) AS alive WHERE s.id = alive.id RETURNING s.*", Session.class)
                .setParameter(1, ids.toArray(UUID[]::new))
                .setParameter(2, Session.TTL_MULTIPLIER)
                .getResultList();
        return renewed;
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
