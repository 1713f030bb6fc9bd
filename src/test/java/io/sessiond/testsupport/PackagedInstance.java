package io.sessiond.testsupport;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged sessiond instance in a process of its own, started as an operator would start it: this build's
 * artifact, the native executable with {@code -Dnative}, else the jar (see {@link PackagedArtifact}). It
 * runs in the prod profile, as deployed, against the database URL it is given (user and password
 * {@code postgres}), on a port chosen here; its output goes to a temporary log file.
 */
public record PackagedInstance(String node, int port, Process process, Path logFile) implements AutoCloseable {

    /** A packaged jar on a loaded machine can take a minute to serve. */
    private static final Duration START_LIMIT = Duration.ofSeconds(180);

    /**
     * Starts instance {@code node} on a free port against {@code jdbcUrl} with {@code settings} (environment
     * variables, e.g. {@code SESSIOND_HEARTBEAT_INTERVAL}) and returns once it serves requests.
     */
    public static PackagedInstance start(String node, String jdbcUrl, Map<String, String> settings) throws Exception {
        return start(node, jdbcUrl, settings, List.of());
    }

    /** {@link #start(String, String, Map)} with {@code arguments} given to the executable (or the JVM). */
    public static PackagedInstance start(String node, String jdbcUrl, Map<String, String> settings, List<String> arguments)
            throws Exception {
        if (settings.containsKey("QUARKUS_HTTP_PORT")) {
            throw new IllegalArgumentException("the instance's port is chosen here: read it with port()");
        }
        int port = PostgresServer.freePort();
        Path log = Files.createTempFile("sessiond-" + node, ".log");
        ProcessBuilder builder = builder(node, jdbcUrl, port, settings, arguments, log);
        PackagedInstance instance = new PackagedInstance(node, port, builder.start(), log);
        try {
            instance.awaitServing();
        } catch (Exception | AssertionError e) {
            instance.close();
            throw e;
        }
        return instance;
    }

    /**
     * Starts instance {@code node} as {@link #start(String, String, Map)} does, but without the environment
     * variables named in {@code unset}, expecting it to refuse to start: returns its log once it exited with
     * a non-zero status, and fails if it served requests or kept running.
     */
    public static String failedStart(String node, String jdbcUrl, Map<String, String> settings, List<String> unset)
            throws Exception {
        int port = PostgresServer.freePort();
        Path log = Files.createTempFile("sessiond-" + node, ".log");
        ProcessBuilder builder = builder(node, jdbcUrl, port, settings, List.of(), log);
        unset.forEach(builder.environment()::remove);
        Process process = builder.start();
        try {
            if (!process.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("instance " + node + " kept running:\n" + read(log));
            }
            if (process.exitValue() == 0) {
                throw new AssertionError("instance " + node + " exited with status 0:\n" + read(log));
            }
            return read(log);
        } finally {
            process.destroyForcibly().waitFor();
        }
    }

    /** The process of instance {@code node}: this build's artifact, its settings, its output to {@code log}. */
    private static ProcessBuilder builder(String node, String jdbcUrl, int port, Map<String, String> settings,
                                          List<String> arguments, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command(arguments)).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("SESSIOND_NODE_NAME", node);
        // The prod profile has no signing secret of its own.
        env.put("SESSIOND_WEB_SIGNING_SECRETS", "packaged-test-secret-not-a-secret");
        env.putAll(new HashMap<>(settings));
        return builder;
    }

    /** A free TCP port on this machine. */
    public static int freePort() throws IOException {
        return PostgresServer.freePort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public RequestSpecification api() {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port);
    }

    /** SIGTERM, as systemd or Kubernetes stop it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL, as a crash: the instance leaves nothing behind it, not even its node's status. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * Returns once {@code /q/health/ready} answers 200: the instance has recorded its first heartbeat, which
     * also gives the cluster's clock this instance's {@code outage-after}. A fault that must find the
     * instances in their steady state waits for this, as a load balancer would.
     */
    public void awaitReady(Duration limit) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(limit);
        while (client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("instance " + node + " was not ready within " + limit + ":\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** Everything the instance logged so far. */
    public String log() {
        return read(logFile);
    }

    /** A log file's text, or why there is none. */
    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * The artifact this build packaged ({@link PackagedArtifact}: never a stale one of an earlier build), with
     * {@code arguments} (system properties, {@code -D...}): after the native executable, or before {@code -jar}
     * for the JVM.
     */
    public static List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>(PackagedArtifact.command());
        command.addAll(1, arguments);
        return command;
    }

    private void awaitServing() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(START_LIMIT);
        while (true) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/status/leader"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("instance " + node + " on port " + port + " did not start:\n" + log());
            }
            Thread.sleep(100);
        }
    }
}
