package io.sessiond.consul;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Consul client against sessiond: the npm {@code consul} package (2.0.1), unchanged, creates,
 * reads, lists, renews and destroys a session. Needs Node.js and npm; the package is installed from the
 * lock file in {@code src/test/node} on first use.
 */
@QuarkusTest
class ConsulNodeClientTest {

    private static final Path CLIENT_DIR = Path.of("src/test/node");

    @TestHTTPResource("/")
    URL server;

    @Test
    void nodeConsulClientManagesSessionsUnchanged() throws Exception {
        if (!Files.isDirectory(CLIENT_DIR.resolve("node_modules/consul"))) {
            Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            assertEquals(0, install.exitCode(), "npm ci failed:\n" + install.output());
        }
        Result check = run(List.of("node", "session-client-check.js", String.valueOf(server.getPort()), "sessiond-test"), 60);
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("all behaved as with Consul"), check.output());
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(CLIENT_DIR.toFile()).redirectErrorStream(true).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
