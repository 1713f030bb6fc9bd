package io.sessiond.index;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Learns of every committed change, made by this instance or any other on the same database, from
 * PostgreSQL's {@code LISTEN/NOTIFY} on one dedicated connection, and wakes the blocking queries waiting
 * for it. Waiting costs no thread: a waiter is a future completed by the next change of its table.
 */
@ApplicationScoped
public class ChangeListener {

    private static final Logger LOG = Logger.getLogger(ChangeListener.class);
    private static final int RECEIVE_TIMEOUT_MS = 1000;
    private static final long RECONNECT_DELAY_MS = 1000;

    private static final String LISTEN = "LISTEN " + ChangeIndex.CHANNEL;
    private static final String ALL_INDEXES = "SELECT table_name, modify_index FROM table_indexes";

    private final String url;
    private final String username;
    private final String password;
    private final Map<Table, AtomicLong> latest = new EnumMap<>(Table.class);
    private final Map<Table, AtomicReference<CompletableFuture<Long>>> nextChange = new EnumMap<>(Table.class);
    private volatile boolean running;
    private volatile boolean connected;
    private Thread thread;

    public ChangeListener(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                          @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                          @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.url = url;
        this.username = username.orElse(null);
        this.password = password.orElse(null);
        for (Table table : Table.values()) {
            latest.put(table, new AtomicLong());
            nextChange.put(table, new AtomicReference<>(new CompletableFuture<>()));
        }
    }

    /** Whether the listening connection is up: without it, blocking queries learn of no change. */
    public boolean connected() {
        return connected;
    }

    /**
     * Completes once {@code table} has changed past {@code index}, with the index of that change. Never
     * completes exceptionally; callers bound the wait with their own timeout.
     */
    public CompletableFuture<Long> changeAfter(Table table, long index) {
        // Read the pending future before the latest index: a change published in between then either
        // shows in the latest index or completes the future read first, so no change is missed.
        CompletableFuture<Long> pending = nextChange.get(table).get();
        long known = latest.get(table).get();
        if (known > index) {
            return CompletableFuture.completedFuture(known);
        }
        return pending.thenCompose(changed -> changed > index
                ? CompletableFuture.completedFuture(changed)
                : changeAfter(table, index));
    }

    /**
     * Connects on the listening thread, beside the rest of the start-up (a new connection costs the start-up
     * several milliseconds otherwise): a blocking query that comes before the connection listens waits for
     * the indexes read right after {@code LISTEN}, so it misses no change either.
     */
    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::listen, "sessiond-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(RECEIVE_TIMEOUT_MS * 2L);
        }
    }

    private void listen() {
        Connection connection = null;
        while (running) {
            try {
                if (connection == null) {
                    connection = connect();
                    connected = true;
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(RECEIVE_TIMEOUT_MS);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        onNotification(notification.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    break;
                }
                connected = false;
                LOG.warnf("Listening for change notifications failed (%s); reconnecting", e.getMessage());
                close(connection);
                connection = null;
                sleepBeforeReconnect();
            }
        }
        close(connection);
    }

    /**
     * Opens the listening connection and publishes the current indexes: changes committed while no
     * connection listened are then seen, and their waiters woken.
     */
    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, username, password);
        try (Statement statement = connection.createStatement()) {
            statement.execute(LISTEN);
            try (ResultSet rows = statement.executeQuery(ALL_INDEXES)) {
                while (rows.next()) {
                    long index = rows.getLong(2);
                    Table.bySqlName(rows.getString(1)).ifPresent(table -> publish(table, index));
                }
            }
        } catch (SQLException e) {
            close(connection);
            throw e;
        }
        return connection;
    }

    private void onNotification(String payload) {
        int colon = payload.lastIndexOf(':');
        if (colon < 0) {
            return;
        }
        try {
            long index = Long.parseLong(payload.substring(colon + 1));
            Table.bySqlName(payload.substring(0, colon)).ifPresent(table -> publish(table, index));
        } catch (NumberFormatException e) {
            LOG.debugf("Ignoring malformed change notification '%s'", payload);
        }
    }

    private void publish(Table table, long index) {
        latest.get(table).accumulateAndGet(index, Math::max);
        nextChange.get(table).getAndSet(new CompletableFuture<>()).complete(index);
    }

    private void sleepBeforeReconnect() {
        try {
            Thread.sleep(RECONNECT_DELAY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("Closing the listening connection failed: %s", e.getMessage());
        }
    }
}
