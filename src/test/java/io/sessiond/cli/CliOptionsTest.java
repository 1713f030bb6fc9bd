package io.sessiond.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as picocli parses it, and the connection settings as options and environment give them. */
class CliOptionsTest {

    @Test
    void theAddressComesFromTheOptionThenSessiondsVariableThenConsuls() {
        assertEquals(URI.create("http://127.0.0.1:8500"), settings(Map.of()).baseUrl());
        assertEquals(URI.create("http://consul:8500"), settings(Map.of("CONSUL_HTTP_ADDR", "consul:8500")).baseUrl());
        assertEquals(URI.create("https://sessiond:8501"), settings(Map.of("CONSUL_HTTP_ADDR", "consul:8500",
                "SESSIOND_HTTP_ADDR", "https://sessiond:8501")).baseUrl());
        assertEquals(URI.create("https://consul:8501"), settings(Map.of("CONSUL_HTTP_ADDR", "consul:8501",
                "CONSUL_HTTP_SSL", "true")).baseUrl());
        assertEquals(URI.create("http://flag:1234"), settings(Map.of("SESSIOND_HTTP_ADDR", "env:1"),
                "--http-addr", "flag:1234").baseUrl());
        CliFailure bad = assertThrows(CliFailure.class, () -> settings(Map.of("CONSUL_HTTP_ADDR", "ftp://x")));
        assertEquals(ExitCodes.USAGE, bad.exitCode());
        assertTrue(bad.getMessage().contains("ftp://x"), bad.getMessage());
    }

    @Test
    void theTokenAndTlsSettingsComeFromTheOptionsOrConsulsVariables(@TempDir Path dir) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "from-file\n");
        assertNull(settings(Map.of()).token());
        assertEquals("from-env", settings(Map.of("CONSUL_HTTP_TOKEN", "from-env")).token());
        assertEquals("from-file", settings(Map.of("CONSUL_HTTP_TOKEN", "from-env", "CONSUL_HTTP_TOKEN_FILE", tokenFile.toString())).token());
        assertEquals("from-flag", settings(Map.of("CONSUL_HTTP_TOKEN", "from-env"), "--token", "from-flag").token());

        Connection.Settings tls = settings(Map.of("CONSUL_CACERT", "/env/ca.pem", "CONSUL_CLIENT_CERT", "/env/cert.pem",
                "CONSUL_CLIENT_KEY", "/env/key.pem", "CONSUL_HTTP_SSL_VERIFY", "false"), "--ca-file", "/flag/ca.pem");
        assertEquals(Path.of("/flag/ca.pem"), tls.caFile());
        assertEquals(Path.of("/env/cert.pem"), tls.clientCert());
        assertEquals(Path.of("/env/key.pem"), tls.clientKey());
        assertTrue(tls.tlsSkipVerify());
        assertFalse(settings(Map.of()).tlsSkipVerify());
        assertTrue(settings(Map.of(), "--tls-skip-verify").tlsSkipVerify());
    }

    @Test
    void lockTakesItsOptionsBeforeTheKeyAndEverythingAfterItIsTheCommand() {
        LockCommand lock = lock("-n", "2", "--ttl", "1m30s", "--lock-delay", "0s", "--timeout", "500ms", "--kill-grace", "2s",
                "--behavior", "DELETE", "--name", "nightly", "jobs/report", "--", "report.sh", "--ttl", "-n", "9");
        assertEquals(2, lock.limit);
        assertEquals(Duration.ofSeconds(90), lock.ttl);
        assertEquals(Duration.ZERO, lock.lockDelay);
        assertEquals(Duration.ofMillis(500), lock.timeout);
        assertEquals(Duration.ofSeconds(2), lock.killGrace);
        assertEquals(io.sessiond.client.SessionOptions.Behavior.DELETE, lock.behavior);
        assertEquals("nightly", lock.name);
        assertEquals("jobs/report", lock.key);
        assertEquals(List.of("report.sh", "--ttl", "-n", "9"), lock.childArgv());

        LockCommand defaults = lock("jobs/report", "true");
        assertEquals(1, defaults.limit);
        assertEquals(Duration.ofSeconds(15), defaults.ttl);
        assertEquals(Duration.ofSeconds(15), defaults.lockDelay);
        assertEquals(Duration.ZERO, defaults.timeout, "waits as long as it takes");
        assertEquals(Duration.ofSeconds(5), defaults.killGrace, "Consul lock's grace period");
        assertEquals(List.of("true"), defaults.childArgv());

        assertEquals(List.of("sh", "-c", "echo $HOME | wc -c"), lock("--shell", "k", "--", "echo", "$HOME", "|", "wc", "-c").childArgv());
    }

    @Test
    void badCommandLinesExitWithTheUsageCodeAndSayWhatIsWrong() {
        assertUsage("Missing required parameter: 'CMD'", "lock", "jobs/x");
        assertUsage("Missing CMD", "lock", "jobs/x", "--");
        assertUsage("-n must be at least 1, got 0", "lock", "-n", "0", "jobs/x", "--", "true");
        assertUsage("time: invalid duration \"soon\"", "lock", "--ttl", "soon", "jobs/x", "--", "true");
        assertUsage("a duration must not be negative", "lock", "--timeout", "-1s", "jobs/x", "--", "true");
        assertUsage("--cas needs --modify-index", "kv", "put", "--cas", "k", "v");
        assertUsage("--cas, --acquire and --release exclude each other", "kv", "put", "--cas", "--modify-index", "1",
                "--acquire", "--session", "s", "k");
        assertUsage("--acquire needs --session", "kv", "put", "--acquire", "k");
        assertUsage("--recurse and --cas exclude each other", "kv", "delete", "--recurse", "--cas", "--modify-index", "3", "k");
        assertUsage("either by ID or by filters", "sessions", "kill");
        assertUsage("Unknown option: '--bogus'", "session", "list", "--bogus");
    }

    @Test
    void everyCommandHasHelp() {
        List<CommandLine> commands = new ArrayList<>();
        collect(SessiondCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), commands);
        assertTrue(commands.size() >= 20, "all commands: " + commands.size());
        for (CommandLine command : commands) {
            List<String> path = new ArrayList<>();
            for (CommandLine c = command; c.getParent() != null; c = c.getParent()) {
                path.add(0, c.getCommandName());
            }
            path.add("--help");
            StringWriter out = new StringWriter();
            int code = SessiondCli.run(path.toArray(String[]::new), new PrintWriter(out), new PrintWriter(new StringWriter()));
            assertEquals(0, code, String.join(" ", path));
            assertTrue(out.toString().startsWith("Usage: " + command.getCommandSpec().qualifiedName()), out.toString());
        }
    }

    @Test
    void completionIsABashScriptForEveryCommand() {
        StringWriter out = new StringWriter();
        assertEquals(0, SessiondCli.run(new String[] {"generate-completion"}, new PrintWriter(out), new PrintWriter(new StringWriter())));
        assertTrue(out.toString().contains("complete -F _complete_sessiond"), out.toString());
        assertTrue(out.toString().contains("--idle-over"), "options of the subcommands are completed");
    }

    @Test
    void sessionFiltersBecomeAdminApiFiltersAndIdlenessIsComparedHere() {
        SessionsCommand.Filters filters = new SessionsCommand.Filters();
        new CommandLine(filters).parseArgs("--service", "billing", "--state", "Session started", "--filter", "remote=10.0.0.7",
                "--idle-over", "1h");
        assertEquals(Map.of("services", "billing", "state", "Session started", "remote", "10.0.0.7"), filters.adminFilters());
        assertTrue(filters.keeps(session(3600.1)));
        assertFalse(filters.keeps(session(3599.9)));
        assertFalse(filters.isEmpty());
        assertTrue(new SessionsCommand.Filters().isEmpty());
    }

    private static JsonNode session(double idleSeconds) {
        return Api.parse("{\"id\":\"x\",\"attributes\":{\"idle\":" + idleSeconds + "}}");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    private static void assertUsage(String message, String... args) {
        StringWriter err = new StringWriter();
        int code = SessiondCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(ExitCodes.USAGE, code, String.join(" ", args) + ": " + err);
        assertTrue(err.toString().contains(message), err.toString());
    }

    private static LockCommand lock(String... args) {
        CommandLine commandLine = SessiondCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> all = new ArrayList<>(List.of("lock"));
        all.addAll(List.of(args));
        CommandLine.ParseResult parsed = commandLine.parseArgs(all.toArray(String[]::new));
        return (LockCommand) parsed.subcommand().commandSpec().userObject();
    }

    private static Connection.Settings settings(Map<String, String> environment, String... args) {
        Connection connection = new Connection();
        new CommandLine(connection).parseArgs(args);
        return connection.settings(environment);
    }
}
