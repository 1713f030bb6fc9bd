package io.sessiond.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Node.js script from {@code src/test/node} (the npm {@code consul} client's checks) or {@code src/test/ui}
 * (the web UI's browser tests, with playwright-core) running as its own process, with its output collected
 * line by line. Each directory's packages are installed from its lock file on first use (Node.js and npm must
 * be on the PATH).
 */
public final class NodeScript implements AutoCloseable {

    private static final Path DIR = Path.of("src/test/node");
    /** The web UI's browser tests. */
    public static final Path UI = Path.of("src/test/ui");

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private boolean outputEnded;

    private NodeScript(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process was killed; what it printed until then is kept
            } finally {
                synchronized (lines) {
                    outputEnded = true;
                    lines.notifyAll();
                }
            }
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static NodeScript start(String script, String... args) throws IOException, InterruptedException {
        return startIn(DIR, script, args);
    }

    /** {@code script} in {@code directory}, once its packages are installed. */
    public static NodeScript startIn(Path directory, String script, String... args) throws IOException, InterruptedException {
        install(directory);
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return new NodeScript(new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start());
    }

    /** {@code npm ci} unless npm already installed this lock file's packages (it leaves its own copy of the lock). */
    private static synchronized void install(Path directory) throws IOException, InterruptedException {
        Path installed = directory.resolve("node_modules/.package-lock.json");
        if (Files.exists(installed)
                && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(directory.resolve("package-lock.json"))) >= 0) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm ci did not finish");
        assertEquals(0, npm.exitValue(), "npm ci failed:\n" + output);
    }

    /** The first line starting with {@code prefix}, waiting up to {@code limit} for it or the process's end. */
    public Optional<String> awaitLine(String prefix, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lines) {
            while (true) {
                Optional<String> found = lines.stream().filter(line -> line.startsWith(prefix)).findFirst();
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (found.isPresent() || remaining <= 0 || outputEnded) {
                    return found;
                }
                lines.wait(remaining);
            }
        }
    }

    /** The epoch-millisecond value of the line {@code <prefix> <millis>}; fails the test if it never came. */
    public long awaitTimestamp(String prefix, Duration limit) throws InterruptedException {
        String line = awaitLine(prefix + " ", limit)
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' within " + limit + "; output:\n" + output()));
        return Long.parseLong(line.substring(prefix.length() + 1).trim());
    }

    /** Waits for the process to end, and for all it printed to be read, and returns its exit code. */
    public int await(Duration limit) throws InterruptedException {
        assertTrue(process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS),
                "the script did not end within " + limit + "; output:\n" + output());
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lines) {
            while (!outputEnded && System.nanoTime() < deadline) {
                lines.wait(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
            }
        }
        return process.exitValue();
    }

    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Kills the process at once, as a crash would: it renews and releases nothing any more. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
