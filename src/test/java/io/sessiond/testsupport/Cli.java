package io.sessiond.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code sessiond} CLI as a process: the native CLI when the native build made one (failsafe's
 * {@code sessiond.cli.native}), else the packaged jar ({@code sessiond.cli.jar}, in the *IT classes), else
 * the compiled classes on this JVM's class path (the unit tests, which run before packaging).
 */
public final class Cli {

    private final Process process;
    private final Path output;

    private Cli(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** The words that start the CLI, before its arguments. */
    public static List<String> launcher() {
        String nativeCli = System.getProperty("sessiond.cli.native", "");
        if (!nativeCli.isEmpty()) {
            return List.of(nativeCli);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = System.getProperty("sessiond.cli.jar", "");
        if (!jar.isEmpty()) {
            return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar);
        }
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", compiledClassPath(),
                "io.sessiond.cli.SessiondCli");
    }

    /**
     * The compiled classes and the CLI jar's libraries only: the test class path would also give the CLI
     * the server's logging (the JDK's HTTP client would find JBoss LogManager's logger) and slow its start.
     */
    private static String compiledClassPath() {
        List<String> entries = new ArrayList<>(List.of(Path.of("target/classes").toAbsolutePath().toString()));
        for (Class<?> library : List.of(picocli.CommandLine.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class)) {
            try {
                entries.add(Path.of(library.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** A bash function {@code sessiond} that runs the CLI, for shell examples. */
    public static String bashFunction() {
        return "sessiond() { " + launcher().stream().map(Cli::quoted).collect(Collectors.joining(" ")) + " \"$@\"; }\n";
    }

    /** Starts the CLI against {@code localhost:port}, its output (stdout and stderr) going to a file. */
    public static Cli start(int port, String... args) throws IOException {
        return start(port, Map.of(), args);
    }

    public static Cli start(int port, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("sessiond-cli", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("SESSIOND_HTTP_ADDR", "localhost:" + port);
        builder.environment().putAll(environment);
        return new Cli(builder.start(), output);
    }

    /** Runs the CLI to its end (at most a minute) and returns its exit code. */
    public static Result run(int port, String... args) throws IOException, InterruptedException {
        Cli cli = start(port, args);
        int code = cli.await(Duration.ofMinutes(1));
        return new Result(code, cli.output());
    }

    /** An ended CLI's exit code and output. */
    public record Result(int exitCode, String output) {
    }

    public Process process() {
        return process;
    }

    /** Waits for the end, at most {@code limit}; fails the test if it does not come. */
    public int await(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("The CLI did not end within " + limit + "; it printed:\n" + output());
        }
        return process.exitValue();
    }

    /** What it printed so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Polls {@code file} until it has a line containing {@code text}, at most {@code limit}; returns the lines. */
    public static List<String> awaitLine(Path file, String text, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            if (lines.stream().anyMatch(line -> line.contains(text))) {
                return lines;
            }
            assertTrue(System.nanoTime() < deadline, "No line with '" + text + "' in " + file + " within " + limit + ": " + lines);
            Thread.sleep(50);
        }
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
