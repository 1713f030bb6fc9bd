package io.sessiond.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server the fault tests can stop, restart and promote: the embedded test binaries (zonky's,
 * which unpacks them and runs initdb), driven by their own {@code pg_ctl} afterwards. A streaming standby is
 * a copy of its primary's data directory taken while the primary is stopped (a cold base backup: the
 * embedded binaries have no {@code pg_basebackup}), which then follows the primary over replication.
 */
public final class PostgresServer implements AutoCloseable {

    /** The standby's name in the primary's {@code synchronous_standby_names}. */
    private static final String STANDBY_NAME = "standby1";
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);

    private final Path binaries;
    private final Path dataDirectory;
    private final int port;
    private final Path log;

    private PostgresServer(Path binaries, Path dataDirectory, int port) throws IOException {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.log = Files.createTempFile("sessiond-fault-postgres-" + port, ".log");
    }

    /** A new primary, started, whose WAL a standby can follow. */
    public static PostgresServer primary() throws IOException {
        Path data = Files.createTempDirectory("sessiond-fault-pg");
        EmbeddedPostgres initialized = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setServerConfig("wal_level", "replica").setServerConfig("max_wal_senders", "4")
                .setServerConfig("hot_standby", "on").start();
        Path binaries = ((File) field(initialized, "pgDir")).toPath().resolve("bin");
        int port = initialized.getPort();
        initialized.close();
        PostgresServer primary = new PostgresServer(binaries, data, port);
        primary.start();
        return primary;
    }

    /**
     * A synchronous streaming standby of this primary, started: the primary is stopped for the copy of its
     * data directory and started again, and from then on commits only once the standby has the commit's WAL.
     */
    public PostgresServer synchronousStandby() throws IOException {
        stop("fast");
        Path copy = Files.createTempDirectory("sessiond-fault-pg-standby");
        copyTree(dataDirectory, copy);
        Files.deleteIfExists(copy.resolve("postmaster.pid"));
        Files.createFile(copy.resolve("standby.signal"));
        int standbyPort = freePort();
        Files.writeString(copy.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port=" + port
                + " user=postgres application_name=" + STANDBY_NAME + "'\n");
        // Acknowledged only once the standby has it: nothing acknowledged is lost when the standby takes over.
        Files.writeString(dataDirectory.resolve("postgresql.auto.conf"), "synchronous_standby_names = '" + STANDBY_NAME
                + "'\nsynchronous_commit = on\n");
        PostgresServer standby = new PostgresServer(binaries, copy, standbyPort);
        start();
        standby.start();
        return standby;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the server and returns once it accepts connections. */
    public void start() {
        pgCtl("-o", "-p " + port + " -c listen_addresses=127.0.0.1", "-l", log.toString(), "-w",
                "-t", String.valueOf(READY_LIMIT.toSeconds()), "start");
        awaitReady();
    }

    /** {@code pg_ctl stop -m mode}: smart, fast or immediate. */
    public void stop(String mode) {
        pgCtl("-m", mode, "-w", "stop");
    }

    /** {@code pg_ctl restart -m mode}; returns once the server accepts connections again. */
    public void restart(String mode) {
        pgCtl("-m", mode, "-o", "-p " + port + " -c listen_addresses=127.0.0.1", "-l", log.toString(), "-w",
                "-t", String.valueOf(READY_LIMIT.toSeconds()), "restart");
        awaitReady();
    }

    /** Promotes this standby; returns once it accepts writes. */
    public void promote() {
        pgCtl("-w", "promote");
        awaitRow("SELECT 1 WHERE NOT pg_is_in_recovery()", "standby on port " + port + " was not promoted");
    }

    /** Waits until the connected synchronous standby has replayed everything committed here. */
    public void awaitStandbyStreaming() {
        awaitRow("SELECT 1 FROM pg_stat_replication WHERE sync_state = 'sync' AND state = 'streaming'",
                "no synchronous standby streams from port " + port);
    }

    /** Polls until {@code query} returns a row. */
    private void awaitRow(String query, String failure) {
        Instant deadline = Instant.now().plus(READY_LIMIT);
        while (true) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(query)) {
                if (rows.next()) {
                    return;
                }
            } catch (SQLException notYet) {
                // still starting
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(failure + ":\n" + log());
            }
            pause();
        }
    }

    public String log() {
        return PackagedInstance.read(log);
    }

    @Override
    public void close() {
        try {
            pgCtl("-m", "immediate", "-w", "stop");
        } catch (RuntimeException alreadyStopped) {
            // stopped by the test
        }
        deleteTree(dataDirectory);
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_LIMIT);
        while (true) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "postgres")) {
                return;
            } catch (SQLException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("PostgreSQL on port " + port + " did not start:\n" + log(), notYet);
                }
            }
            pause();
        }
    }

    private void pgCtl(String... arguments) {
        List<String> command = new ArrayList<>();
        // PostgreSQL refuses to run as root: in a user namespace of its own, root is an ordinary user (as zonky does).
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binaries.resolve("pg_ctl").toString());
        command.addAll(List.of("-D", dataDirectory.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(READY_LIMIT.toSeconds() + 10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output + "\n" + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Object field(Object target, String name) {
        try {
            Field field = target.getClass().getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("zonky's EmbeddedPostgres has no field " + name, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
