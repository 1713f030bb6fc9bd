package io.sessiond.index;

import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a failure means the database could not be reached, and why in a few words: the HTTP edge then
 * answers 503 rather than 500, blocking queries answer their last state, and background jobs wait quietly
 * for the database. The driver's failures arrive wrapped (Hibernate, JTA, Agroal, Mutiny), so the whole
 * chain of causes is searched.
 */
public final class DatabaseUnreachable {

    /** Bounds the search: a chain of causes may be a cycle. */
    private static final int MAX_DEPTH = 32;

    private DatabaseUnreachable() {
    }

    /**
     * The cause in words when {@code failure} means the database is unreachable (connection refused, lost or
     * not had in time, the server shutting down or starting, a standby that cannot take writes); empty when it
     * is some other failure.
     */
    public static Optional<String> cause(Throwable failure) {
        return search(failure, 0);
    }

    /**
     * Runs one period of background job {@code job}. While the database is unreachable every period fails the
     * same way, and readiness already says so: then one debug line in {@code log}, no stack trace. Any other
     * failure is thrown on to the scheduler, which logs it.
     */
    public static void quietWhileUnreachable(Logger log, String job, Runnable period) {
        try {
            period.run();
        } catch (RuntimeException e) {
            Optional<String> unreachable = cause(e);
            if (unreachable.isEmpty()) {
                throw e;
            }
            log.debugf("%s skipped, the database is unreachable (%s)", job, unreachable.get());
        }
    }

    /** The causes, and the suppressed exceptions (a failed commit's rollback error is one, in Narayana's). */
    private static Optional<String> search(Throwable failure, int depth) {
        for (Throwable cause = failure; cause != null && depth < MAX_DEPTH; cause = cause.getCause(), depth++) {
            Optional<String> named = named(cause);
            if (named.isPresent()) {
                return named;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                Optional<String> inSuppressed = search(suppressed, depth + 1);
                if (inSuppressed.isPresent()) {
                    return inSuppressed;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> named(Throwable cause) {
        if (cause instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null) {
                if (state.startsWith("08")) {
                    return Optional.of(state.equals("08001") || state.equals("08004") ? "cannot connect" : "connection lost");
                }
                switch (state) {
                    case "57P01", "57P02" -> {
                        return Optional.of("server shutting down");
                    }
                    case "57P03" -> {
                        return Optional.of("server not accepting connections yet");
                    }
                    case "25006" -> {
                        // After a failover, a connection to the former primary, now a read-only standby.
                        return Optional.of("server is read-only (a standby)");
                    }
                    default -> {
                    }
                }
            }
            if (sql instanceof SQLTransientConnectionException) {
                return Optional.of("no connection available");
            }
            // Agroal's pool, when no connection could be had before the acquisition timeout.
            if (sql.getMessage() != null && sql.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
                return Optional.of("no connection available in time");
            }
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return Optional.of("cannot connect");
        }
        if (cause instanceof SocketTimeoutException) {
            return Optional.of("no answer in time");
        }
        if (cause instanceof SocketException) {
            return Optional.of("connection lost");
        }
        return Optional.empty();
    }
}
