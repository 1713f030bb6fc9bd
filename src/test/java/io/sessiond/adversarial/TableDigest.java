package io.sessiond.adversarial;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A digest of every table of the application's database, read over JDBC (the application under test is
 * another process): one MD5 per table over all its rows, so that a refused request that changed anything
 * shows, and which table it changed.
 */
final class TableDigest implements AutoCloseable {

    /**
     * Columns left out because they change by themselves while nothing is asked of the server:
     * {@code nodes.heartbeat_at} is the running instance's liveness heartbeat, rewritten every
     * {@code sessiond.heartbeat.interval} ({@code CheckLiveness.heartbeat}); it is no state a client sets.
     * Nothing else is left out: the other background jobs (session and TTL-check expiry, lock-delay purge,
     * activity flush) only act on state that earlier accepted requests made due, which the suite does not
     * make (no short TTLs or lock delays in its valid requests), and a mismatch is confirmed by replaying
     * each request of the batch alone before it is reported.
     */
    private static final Map<String, Set<String>> BACKGROUND_COLUMNS = Map.of("nodes", Set.of("heartbeat_at"));

    private final Connection connection;
    private final Map<String, String> queries = new LinkedHashMap<>();

    TableDigest(String url, String user, String password) throws SQLException {
        connection = DriverManager.getConnection(url, user, password);
        connection.setAutoCommit(true);
        List<String> tables = new ArrayList<>();
        try (Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT table_name FROM information_schema.tables "
                     + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        for (String table : tables) {
            List<String> columns = new ArrayList<>();
            try (Statement sql = connection.createStatement();
                 ResultSet rows = sql.executeQuery("SELECT column_name FROM information_schema.columns "
                         + "WHERE table_schema = current_schema() AND table_name = '" + table + "' ORDER BY ordinal_position")) {
                while (rows.next()) {
                    String column = rows.getString(1);
                    if (!BACKGROUND_COLUMNS.getOrDefault(table, Set.of()).contains(column)) {
                        columns.add(column);
                    }
                }
            }
            String row = columns.stream().map(column -> "\"" + column + "\"").collect(Collectors.joining(", "));
            queries.put(table, "SELECT '" + table + "', md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')), count(*) "
                    + "FROM (SELECT ROW(" + row + ")::text AS r FROM \"" + table + "\") t");
        }
        if (tables.size() < 5) {
            throw new IllegalStateException("Only tables " + tables + " found: is this the application's database?");
        }
    }

    /** Each table's digest and row count, by name. */
    Map<String, String> take() {
        String union = String.join(" UNION ALL ", queries.values());
        Map<String, String> digest = new TreeMap<>();
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(union)) {
            while (rows.next()) {
                digest.put(rows.getString(1), rows.getString(2) + " (" + rows.getLong(3) + " rows)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Digest failed: " + e.getMessage(), e);
        }
        return digest;
    }

    /**
     * The next transaction ID PostgreSQL will assign. Every transaction that writes a row gets one (committed
     * or rolled back); reads get none. When it did not move, no table changed: the full digest is not needed.
     */
    long nextTransactionId() {
        try (Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")) {
            rows.next();
            return Long.parseLong(rows.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the transaction counter failed: " + e.getMessage(), e);
        }
    }

    Set<String> tables() {
        return queries.keySet();
    }

    /** The tables whose digest differs. */
    static List<String> changed(Map<String, String> before, Map<String, String> after) {
        return before.keySet().stream().filter(table -> !Objects.equals(before.get(table), after.get(table))).toList();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
