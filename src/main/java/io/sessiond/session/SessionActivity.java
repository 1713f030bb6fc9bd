package io.sessiond.session;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who uses which session, and how much: every client that uses a session (see {@link SessionClient}) is a
 * {@link SessionConnection} with its own read and write counts and last activity.
 *
 * <p>Requests only count in memory; the counts reach the database in one batch per
 * {@code sessiond.activity.flush-interval} (and before the admin API reads them), as additive upserts, so
 * a busy client costs no row write per request and several instances can flush into the same rows.
 * Times are taken on the database's clock: the batch carries each event's age, not this machine's time.
 *
 * <p>A client known only by its socket address is a new client on each new TCP connection, so what is kept
 * per session is bounded: its {@link #CLIENTS_KEPT} most recently active clients keep their rows, the others
 * are folded into one row per session ({@link #FOLDED_CLIENT}) that adds up their counts, so the totals stay
 * exact while no client can grow the table.
 */
@ApplicationScoped
public class SessionActivity {

    /** The scheduler identity of the periodic flush. */
    public static final String JOB = "session-activity-flush";

    /** How many clients of a session keep a row of their own: the most recently active ones. */
    public static final int CLIENTS_KEPT = 32;

    /** The client name of a session's folded row; no client has it (a blank name falls back to the address). */
    public static final String FOLDED_CLIENT = "";

    /**
     * The first key of the transaction-level advisory locks that serialize flushes of the same session
     * (the second is a hash of the session ID), so two instances never fold one session at once.
     */
    private static final int FOLD_LOCK_SPACE = 0x5e551;

    private static final Logger LOG = Logger.getLogger(SessionActivity.class);

    /** Key-share locks the live ones of the sessions, in ID order as every invalidation locks them. */
    private static final String LOCK_LIVE = "SELECT id FROM sessions WHERE id = ANY(?) ORDER BY id FOR KEY SHARE";
    /**
     * The fold locks of the sessions, taken in the order of their keys (a subquery with ORDER BY is evaluated
     * before the aggregate that calls the lock function); held until the transaction ends.
     */
    private static final String LOCK_FOLDING = """
            SELECT count(pg_advisory_xact_lock(?, fold_key))
            FROM (SELECT DISTINCT hashtext(id::text) AS fold_key FROM unnest(?) AS id ORDER BY fold_key) keys""";
    /**
     * Adds each client's counts to its row, one array per column, one row per (session, client) of the batch;
     * times are the database's clock minus each event's age in microseconds. One statement for the whole
     * flush: a statement per row cost PostgreSQL more than the row's own work.
     */
    private static final String UPSERT_CONNECTIONS = """
            INSERT INTO session_connections AS c
            (session, client, remote_address, remote_port, connected_at, last_activity_at, reads, writes,
            folded_clients)
            SELECT a.session, a.client, a.remote_address, a.remote_port,
            clock_timestamp() - a.first_age * interval '1 microsecond',
            clock_timestamp() - a.last_age * interval '1 microsecond', a.reads, a.writes, a.folded_clients
            FROM unnest(CAST(? AS uuid[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS int[]), CAST(? AS bigint[]),
            CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]))
            AS a(session, client, remote_address, remote_port, first_age, last_age, reads, writes, folded_clients)
            ON CONFLICT (session, client) DO UPDATE SET reads = c.reads + excluded.reads,
            writes = c.writes + excluded.writes, folded_clients = c.folded_clients + excluded.folded_clients,
            remote_address = excluded.remote_address, remote_port = excluded.remote_port,
            connected_at = least(c.connected_at, excluded.connected_at),
            last_activity_at = greatest(c.last_activity_at, excluded.last_activity_at)""";
    /** Moves the rows of each session's clients beyond the ?3 most recently active into its folded row (?2, ?4). */
    private static final String FOLD_BEYOND_THE_BOUND = """
            WITH ranked AS (
            SELECT id, row_number() OVER (PARTITION BY session ORDER BY last_activity_at DESC, id DESC) AS recency
            FROM session_connections WHERE session = ANY(?) AND client <> ?),
            beyond AS (DELETE FROM session_connections c USING ranked r WHERE c.id = r.id AND r.recency > ?
            RETURNING c.*)
            INSERT INTO session_connections AS c (session, client, remote_address, remote_port, connected_at,
            last_activity_at, reads, writes, folded_clients)
            SELECT session, ?, (array_agg(remote_address ORDER BY last_activity_at DESC, id DESC))[1],
            (array_agg(remote_port ORDER BY last_activity_at DESC, id DESC))[1], min(connected_at),
            max(last_activity_at), sum(reads)::bigint, sum(writes)::bigint, count(*) FROM beyond GROUP BY session
            ON CONFLICT (session, client) DO UPDATE SET reads = c.reads + excluded.reads,
            writes = c.writes + excluded.writes, folded_clients = c.folded_clients + excluded.folded_clients,
            remote_address = CASE WHEN excluded.last_activity_at >= c.last_activity_at
            THEN excluded.remote_address ELSE c.remote_address END,
            remote_port = CASE WHEN excluded.last_activity_at >= c.last_activity_at
            THEN excluded.remote_port ELSE c.remote_port END,
            connected_at = least(c.connected_at, excluded.connected_at),
            last_activity_at = greatest(c.last_activity_at, excluded.last_activity_at)""";

    /** What a request did through a session: GETs read, PUTs and DELETEs write. */
    public enum Access { READ, WRITE }

    private record Key(UUID session, String client) {
    }

    /**
     * Activity not yet flushed; ages are measured on {@link System#nanoTime()}. {@code foldedClients} counts
     * the clients added into a folded entry (0 for a client's own).
     */
    private record Pending(String remoteAddress, int port, long firstNanos, long lastNanos, long reads, long writes,
                           long foldedClients) {

        static Pending of(SessionClient client, Access access) {
            long now = System.nanoTime();
            return new Pending(client.remoteAddress(), client.port(), now, now,
                    access == Access.READ ? 1 : 0, access == Access.WRITE ? 1 : 0, 0);
        }

        Pending plus(Pending other) {
            Pending later = other.lastNanos - lastNanos >= 0 ? other : this;
            return new Pending(later.remoteAddress, later.port, Math.min(firstNanos, other.firstNanos),
                    Math.max(lastNanos, other.lastNanos), reads + other.reads, writes + other.writes,
                    foldedClients + other.foldedClients);
        }

        /** This client's activity as part of a folded entry. */
        Pending asFolded() {
            return new Pending(remoteAddress, port, firstNanos, lastNanos, reads, writes, Math.max(foldedClients, 1));
        }
    }

    // Merged and removed per key, atomically, so no count is lost between a request and a flush.
    private final Map<Key, Pending> pending = new ConcurrentHashMap<>();
    private final AgroalDataSource dataSource;

    public SessionActivity(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Counts one use of the session {@code sessionId} by {@code client}; IDs that are no UUID are ignored. */
    public void record(String sessionId, SessionClient client, Access access) {
        SessionRules.parseId(sessionId).ifPresent(id -> record(id, client, access));
    }

    public void record(UUID sessionId, SessionClient client, Access access) {
        pending.merge(new Key(sessionId, client.name()), Pending.of(client, access), Pending::plus);
    }

    @Scheduled(identity = JOB, every = "${sessiond.activity.flush-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushPeriodically() {
        flush();
    }

    /**
     * Writes what was counted so far, in one transaction. Activity of sessions that ended meanwhile is
     * dropped. On failure the counts go back into memory for the next flush.
     */
    public void flush() {
        Map<Key, Pending> batch = new TreeMap<>(Comparator.comparing(Key::session).thenComparing(Key::client));
        for (Key key : pending.keySet()) {
            Pending taken = pending.remove(key);
            if (taken != null) {
                batch.put(key, taken);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        foldBeyondTheBound(batch);
        try {
            QuarkusTransaction.requiringNew().run(() -> write(batch));
        } catch (RuntimeException e) {
            LOG.warnf("Session activity not flushed, retried with the next flush: %s", e.getMessage());
            batch.forEach((key, counts) -> pending.merge(key, counts, Pending::plus));
        }
    }

    /**
     * Folds, in the batch itself, each session's clients beyond its {@link #CLIENTS_KEPT} most recent into
     * its folded entry, so that a burst of new connections costs one row write rather than one per client.
     */
    private static void foldBeyondTheBound(Map<Key, Pending> batch) {
        Map<UUID, List<Key>> clientsBySession = new TreeMap<>();
        for (Key key : batch.keySet()) {
            if (!key.client().equals(FOLDED_CLIENT)) {
                clientsBySession.computeIfAbsent(key.session(), session -> new ArrayList<>()).add(key);
            }
        }
        for (Map.Entry<UUID, List<Key>> session : clientsBySession.entrySet()) {
            List<Key> clients = session.getValue();
            if (clients.size() <= CLIENTS_KEPT) {
                continue;
            }
            clients.sort(Comparator.comparingLong((Key key) -> batch.get(key).lastNanos()).reversed());
            for (Key beyond : clients.subList(CLIENTS_KEPT, clients.size())) {
                batch.merge(new Key(session.getKey(), FOLDED_CLIENT), batch.remove(beyond).asFolded(), Pending::plus);
            }
        }
    }

    /** The connections of these sessions, each session's in the order they attached. */
    public List<SessionConnection> connectionsOf(Collection<UUID> sessionIds) {
        if (sessionIds.isEmpty()) {
            return List.of();
        }
        return SessionConnection.list("session in ?1 order by connectedAt, id", sessionIds);
    }

    /**
     * This transaction moves no change index, unlike the write protocol's other writes: counters are not
     * part of what Consul readers see (like a renewal), and advancing the sessions index each second would
     * wake every blocking query for nothing. The sessions are key-share locked first, in ID order as every
     * invalidation locks them, so a flush and an invalidation never wait on each other in a cycle. Then each
     * session's fold lock, which only flushes take, all of them before any row is written and in one order,
     * so that flushes of the same session (from several instances) run one after the other and the bound
     * holds, without waiting on each other in a cycle.
     */
    private void write(Map<Key, Pending> batch) {
        long now = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            Set<UUID> live = lockLive(connection, batch.keySet().stream().map(Key::session).distinct().toList());
            if (live.isEmpty()) {
                return;
            }
            Array liveIds = connection.createArrayOf("uuid", live.toArray());
            lockFolding(connection, liveIds);
            upsertConnections(connection, batch, live, now);
            foldBeyondTheBound(connection, liveIds);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Adds the counts of the batch's entries whose session is in {@code live} to their rows, in the batch's
     * order (by session, then client: the order the rows are locked in); {@code now} is what ages are
     * measured from.
     */
    private static void upsertConnections(Connection connection, Map<Key, Pending> batch, Set<UUID> live, long now)
            throws SQLException {
        List<Map.Entry<Key, Pending>> rows = batch.entrySet().stream().filter(entry -> live.contains(entry.getKey().session())).toList();
        Object[][] columns = new Object[9][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Key key = rows.get(i).getKey();
            Pending counts = rows.get(i).getValue();
            columns[0][i] = key.session();
            columns[1][i] = key.client();
            columns[2][i] = counts.remoteAddress();
            columns[3][i] = counts.port();
            columns[4][i] = (now - counts.firstNanos()) / 1000;
            columns[5][i] = (now - counts.lastNanos()) / 1000;
            columns[6][i] = counts.reads();
            columns[7][i] = counts.writes();
            columns[8][i] = counts.foldedClients();
        }
        String[] types = {"uuid", "text", "text", "int4", "int8", "int8", "int8", "int8", "int8"};
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_CONNECTIONS)) {
            for (int column = 0; column < columns.length; column++) {
                upsert.setArray(column + 1, connection.createArrayOf(types[column], columns[column]));
            }
            upsert.executeUpdate();
        }
    }

    /**
     * The fold locks of these sessions, taken in the order of their keys (a subquery with ORDER BY is
     * evaluated before the aggregate that calls the lock function); held until the transaction ends.
     */
    private static void lockFolding(Connection connection, Array sessionIds) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK_FOLDING)) {
            lock.setInt(1, FOLD_LOCK_SPACE);
            lock.setArray(2, sessionIds);
            lock.executeQuery().close();
        }
    }

    /**
     * Moves the counts of each session's clients beyond its {@link #CLIENTS_KEPT} most recently active into
     * its folded row, and deletes their rows: one statement for the whole batch, under the fold locks.
     */
    private static void foldBeyondTheBound(Connection connection, Array sessionIds) throws SQLException {
        try (PreparedStatement fold = connection.prepareStatement(FOLD_BEYOND_THE_BOUND)) {
            fold.setArray(1, sessionIds);
            fold.setString(2, FOLDED_CLIENT);
            fold.setInt(3, CLIENTS_KEPT);
            fold.setString(4, FOLDED_CLIENT);
            fold.executeUpdate();
        }
    }

    private static Set<UUID> lockLive(Connection connection, List<UUID> sessionIds) throws SQLException {
        Set<UUID> live = new HashSet<>();
        Array ids = connection.createArrayOf("uuid", sessionIds.toArray());
        try (PreparedStatement lock = connection.prepareStatement(LOCK_LIVE)) {
            lock.setArray(1, ids);
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    live.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return live;
    }
}
