package io.sessiond.testsupport;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A packaged sessiond started by a test as an operator would start it: the native executable when the build
 * made one for the integration tests ({@code -Dnative}), else the jar, in the prod profile, on a database and
 * port of the test's, its output in a file.
 */
public final class PackagedInstance {

    private static final Duration START_LIMIT = Duration.ofSeconds(180);

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedInstance(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts an instance named {@code node} on {@code jdbcUrl} (user and password {@code postgres}) with the
     * environment {@code settings} added, and waits until it serves.
     */
    public static PackagedInstance start(String node, String jdbcUrl, Map<String, String> settings) throws Exception {
        return start(node, jdbcUrl, settings, List.of());
    }

    /** {@link #start(String, String, Map)} with {@code arguments} given to the executable (or the JVM). */
    public static PackagedInstance start(String node, String jdbcUrl, Map<String, String> settings, List<String> arguments)
            throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("sessiond-" + node, ".log");
        ProcessBuilder builder = new ProcessBuilder(command(arguments)).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("SESSIOND_NODE_NAME", node);
        // The prod profile has no signing secret of its own.
        env.put("SESSIOND_WEB_SIGNING_SECRETS", "packaged-test-secret-not-a-secret");
        if (settings.containsKey("QUARKUS_HTTP_PORT")) {
            throw new IllegalArgumentException("the instance's port is chosen here: read it with port()");
        }
        env.putAll(settings);
        PackagedInstance instance = new PackagedInstance(builder.start(), port, log);
        try {
            instance.awaitServing();
        } catch (Throwable notServing) {
            instance.kill();
            throw notServing;
        }
        return instance;
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    /** Everything the instance logged so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    public RequestSpecification api() {
        return RestAssured.given().baseUri("http://127.0.0.1").port(port);
    }

    /** SIGTERM, as systemd or Kubernetes stop it. */
    public void terminate() {
        process.destroy();
    }

    public void kill() {
        process.destroyForcibly();
    }

    /**
     * The native executable when the build made one for these tests, else the jar, with {@code arguments}
     * (system properties, {@code -D...}): after the executable, or before {@code -jar} for the JVM.
     */
    public static List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        String nativeImage = System.getProperty("native.image.path");
        if (nativeImage != null && Files.isExecutable(Path.of(nativeImage))) {
            command.add(nativeImage);
            command.addAll(arguments);
            return command;
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        return command;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitServing() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(START_LIMIT);
        while (true) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/status/leader")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            assertTrue(process.isAlive(), "the instance on port " + port + " stopped:\n" + log());
            assertTrue(Instant.now().isBefore(deadline), "the instance on port " + port + " did not start:\n" + log());
            Thread.sleep(100);
        }
    }
}
