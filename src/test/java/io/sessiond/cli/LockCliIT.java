package io.sessiond.cli;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.sessiond.testsupport.Cli;
import io.sessiond.testsupport.EmbeddedPostgresResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sessiond lock} as a cron job runs it: the packaged CLI (the jar, or the native CLI when the native
 * build made one) against the packaged server. The children log what they do to a file; the tests read the
 * intervals and fencing tokens from it.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class LockCliIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void twoCompetingLocksRunOneChildAtATimeWithIncreasingTokens() throws Exception {
        String key = "jobs/" + UUID.randomUUID();
        Path log = dir.resolve("log");
        // Each child logs its start and end with the time in nanoseconds and its fencing token.
        String child = "echo \"start $SESSIOND_LOCK_INDEX $(date +%s%N)\" >> " + log + "; sleep 0.2; "
                + "echo \"end $SESSIOND_LOCK_INDEX $(date +%s%N)\" >> " + log;
        ExecutorService competitors = Executors.newFixedThreadPool(2);
        List<Future<List<Integer>>> runs = new ArrayList<>();
        for (int competitor = 0; competitor < 2; competitor++) {
            runs.add(competitors.submit(() -> {
                List<Integer> codes = new ArrayList<>();
                for (int run = 0; run < 3; run++) {
                    codes.add(Cli.run(RestAssured.port, "lock", "--ttl", "10s", key, "--", "bash", "-c", child).exitCode());
                }
                return codes;
            }));
        }
        for (Future<List<Integer>> run : runs) {
            assertEquals(List.of(0, 0, 0), run.get());
        }
        competitors.shutdown();

        List<String[]> events = Files.readAllLines(log).stream().map(line -> line.split(" ")).toList();
        assertEquals(12, events.size(), "six children, each a start and an end: " + Files.readAllLines(log));
        long previousToken = 0;
        long previousEnd = 0;
        for (int i = 0; i < events.size(); i += 2) {
            String[] start = events.get(i);
            String[] end = events.get(i + 1);
            assertEquals("start", start[0], "a start follows the previous end: " + Files.readAllLines(log));
            assertEquals("end", end[0], "no other child starts before this one ends: " + Files.readAllLines(log));
            assertEquals(start[1], end[1], "the child that ended is the one that started");
            long token = Long.parseLong(start[1]);
            assertTrue(token > previousToken, "fencing tokens increase: " + Files.readAllLines(log));
            assertTrue(Long.parseLong(start[2]) >= previousEnd, "intervals do not overlap: " + Files.readAllLines(log));
            previousToken = token;
            previousEnd = Long.parseLong(end[2]);
        }
        given().get("/v1/kv/" + key).then().statusCode(404);
        assertTrue(given().get("/v1/session/list").then().extract().jsonPath().getList("Name", String.class).stream()
                .noneMatch(name -> name.contains(key)), "every session of the CLIs is destroyed");
    }

    @Test
    void killingTheHoldersSessionTerminatesItsChildAndTheWaitersChildStarts() throws Exception {
        String key = "jobs/" + UUID.randomUUID();
        Path log = dir.resolve("log");
        // The lock-delay is what keeps the waiter's child from starting before the holder's got TERM: with none, the
        // key is free the moment the session is killed, and the two children may briefly overlap (fencing tokens
        // tell them apart, which is what SESSIOND_LOCK_INDEX is for).
        Cli holder = Cli.start(RestAssured.port, "lock", "--ttl", "10s", "--lock-delay", "3s", key, "--", "bash", "-c",
                "trap 'echo holder got TERM >> " + log + "; exit 143' TERM; echo \"holder runs $SESSIOND_LOCK_INDEX\" >> " + log
                        + "; while true; do sleep 0.05; done");
        String holderLine = Cli.awaitLine(log, "holder runs", LIMIT).get(0);
        String holderSession = given().get("/v1/kv/" + key).then().statusCode(200).extract().path("[0].Session");

        Cli waiter = Cli.start(RestAssured.port, "lock", "--ttl", "10s", key, "--", "bash", "-c",
                "echo \"waiter runs $SESSIOND_LOCK_INDEX\" >> " + log);
        awaitSessions(key, 2);
        assertFalse(Files.readString(log).contains("waiter runs"), "the waiter waits while the lock is held");

        long killed = System.nanoTime();
        given().delete("/v1/sessions/" + holderSession).then().statusCode(204);
        Cli.awaitLine(log, "holder got TERM", Duration.ofSeconds(10));
        assertTrue(System.nanoTime() - killed < Duration.ofSeconds(10).toNanos(), "the child got SIGTERM within the TTL");
        assertEquals(ExitCodes.LOCK_LOST, holder.await(LIMIT), holder.output());
        assertTrue(holder.output().contains("lost the lock on " + key), holder.output());

        List<String> lines = Cli.awaitLine(log, "waiter runs", LIMIT);
        assertEquals(0, waiter.await(LIMIT), waiter.output());
        long holderToken = Long.parseLong(holderLine.split(" ")[2]);
        long waiterToken = Long.parseLong(lines.stream().filter(line -> line.startsWith("waiter")).findFirst().orElseThrow().split(" ")[2]);
        assertTrue(waiterToken > holderToken, "the waiter's token is greater: " + lines);
        assertTrue(lines.indexOf("holder got TERM") < lines.indexOf("waiter runs " + waiterToken), lines.toString());
    }

    @Test
    void aSemaphoreOfTwoRunsTwoChildrenAtOnceAndNeverThree() throws Exception {
        String prefix = "batch/" + UUID.randomUUID();
        Path log = dir.resolve("log");
        Path done = dir.resolve("done");
        String child = "echo \"start $$\" >> " + log + "; until [ -e " + done + " ]; do sleep 0.05; done; echo \"end $$\" >> " + log;
        List<Cli> holders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            holders.add(Cli.start(RestAssured.port, "lock", "-n", "2", "--ttl", "10s", prefix, "--", "bash", "-c", child));
        }
        awaitStarts(log, 2);
        awaitSessions(prefix, 3);
        assertEquals(2, starts(log), "two run at once; the third waits: " + Files.readAllLines(log));

        // The coordination record is the one consul lock -n and Go's api.Semaphore read.
        Map<String, Object> lock = given().get("/v1/kv/" + prefix + "/.lock").then().statusCode(200).extract().path("[0]");
        assertEquals(SemaphoreState.FLAGS, lock.get("Flags").toString());
        String record = new String(Base64.getDecoder().decode((String) lock.get("Value")), StandardCharsets.UTF_8);
        assertTrue(record.matches("\\{\"Limit\":2,\"Holders\":\\{\"[0-9a-f-]{36}\":true,\"[0-9a-f-]{36}\":true}}"), record);

        Files.createFile(done);
        for (Cli holder : holders) {
            assertEquals(0, holder.await(LIMIT), holder.output());
        }
        int running = 0;
        int most = 0;
        for (String line : Files.readAllLines(log)) {
            running += line.startsWith("start") ? 1 : -1;
            most = Math.max(most, running);
        }
        assertEquals(2, most, "never more than two at once: " + Files.readAllLines(log));
        assertEquals(6, Files.readAllLines(log).size(), Files.readAllLines(log).toString());
        // Nothing of the holders is left: no contender key, and the record, if the last one out could not delete it
        // (as with Go's api.Semaphore, Destroy refuses while another holder's key is still there), holds nobody.
        io.restassured.response.Response left = given().get("/v1/kv/" + prefix + "?recurse");
        if (left.statusCode() != 404) {
            assertEquals(List.of(prefix + "/.lock"), left.jsonPath().getList("Key", String.class), left.asString());
            String after = new String(Base64.getDecoder().decode(left.jsonPath().getString("[0].Value")), StandardCharsets.UTF_8);
            assertEquals("{\"Limit\":2,\"Holders\":{}}", after);
        }
    }

    @Test
    void exitCodesAreTheChildsOrTheDocumentedOnes() throws Exception {
        String key = "jobs/" + UUID.randomUUID();
        assertEquals(3, Cli.run(RestAssured.port, "lock", "--ttl", "10s", key, "--", "sh", "-c", "exit 3").exitCode());
        assertEquals(4, Cli.run(RestAssured.port, "lock", "--ttl", "10s", "--shell", key, "--", "exit", "4").exitCode());
        Cli.Result notFound = Cli.run(RestAssured.port, "lock", "--ttl", "10s", key, "--", "no-such-command-" + UUID.randomUUID());
        assertEquals(ExitCodes.COMMAND_NOT_FOUND, notFound.exitCode(), notFound.output());
        Path notExecutable = Files.createFile(dir.resolve("job.sh"));
        Cli.Result cannotRun = Cli.run(RestAssured.port, "lock", "--ttl", "10s", key, "--", notExecutable.toString());
        assertEquals(ExitCodes.CANNOT_EXECUTE, cannotRun.exitCode(), cannotRun.output());
        assertEquals(ExitCodes.USAGE, Cli.run(RestAssured.port, "lock", key).exitCode());
        assertEquals(ExitCodes.USAGE, Cli.run(RestAssured.port, "lock", "--ttl", "soon", key, "--", "true").exitCode());
        Cli.Result unreachable = Cli.run(RestAssured.port, "lock", "--http-addr", "127.0.0.1:1", key, "--", "true");
        assertEquals(ExitCodes.FAILED, unreachable.exitCode(), unreachable.output());

        // As Go's api.Lock: a key holding data is not taken over (nor overwritten, nor deleted).
        String data = "config/" + UUID.randomUUID();
        given().body("keep me").put("/v1/kv/" + data).then().statusCode(200);
        Cli.Result conflict = Cli.run(RestAssured.port, "lock", "--ttl", "10s", data, "--", "true");
        assertEquals(ExitCodes.FAILED, conflict.exitCode(), conflict.output());
        assertTrue(conflict.output().contains("Existing key does not match lock use"), conflict.output());
        given().get("/v1/kv/" + data + "?raw").then().statusCode(200).body(org.hamcrest.Matchers.equalTo("keep me"));

        Path log = dir.resolve("log");
        Path done = dir.resolve("done");
        Cli holder = Cli.start(RestAssured.port, "lock", "--ttl", "10s", key, "--", "bash", "-c",
                "echo holding >> " + log + "; until [ -e " + done + " ]; do sleep 0.05; done");
        Cli.awaitLine(log, "holding", LIMIT);
        Cli.Result late = Cli.run(RestAssured.port, "lock", "--ttl", "10s", "--timeout", "500ms", key, "--", "true");
        assertEquals(ExitCodes.NOT_ACQUIRED, late.exitCode(), late.output());
        assertTrue(late.output().contains("could not acquire " + key + " within 500ms"), late.output());
        Files.createFile(done);
        assertEquals(0, holder.await(LIMIT), holder.output());
    }

    @Test
    void aSignalToTheCliIsPassedToTheChild() throws Exception {
        String key = "jobs/" + UUID.randomUUID();
        Path log = dir.resolve("log");
        Cli cli = Cli.start(RestAssured.port, "lock", "--ttl", "10s", key, "--", "bash", "-c",
                "trap 'echo child got TERM >> " + log + "; exit 143' TERM; echo running >> " + log
                        + "; while true; do sleep 0.05; done");
        Cli.awaitLine(log, "running", LIMIT);
        cli.process().destroy();
        Cli.awaitLine(log, "child got TERM", LIMIT);
        assertEquals(143, cli.await(LIMIT), cli.output());
        given().get("/v1/kv/" + key).then().statusCode(404);
    }

    @Test
    void theLauncherScriptRunsTheCli() throws Exception {
        String key = "launched/" + UUID.randomUUID();
        ProcessBuilder launcher = new ProcessBuilder("src/main/sh/sessiond", "kv", "put", key, "by the launcher")
                .redirectErrorStream(true);
        launcher.environment().put("CONSUL_HTTP_ADDR", "http://localhost:" + RestAssured.port);
        Process put = launcher.start();
        String output = new String(put.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, put.waitFor(), output);
        assertEquals("Success! Data written to: " + key, output.strip());
        given().get("/v1/kv/" + key + "?raw").then().statusCode(200).body(org.hamcrest.Matchers.equalTo("by the launcher"));
    }

    /** Polls the session list until {@code count} sessions name {@code key}. */
    private static void awaitSessions(String key, int count) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (given().get("/v1/session/list").then().extract().jsonPath().getList("Name", String.class).stream()
                .filter(name -> name.contains(key)).count() < count) {
            assertTrue(System.nanoTime() < deadline, "fewer than " + count + " sessions for " + key);
            Thread.sleep(50);
        }
    }

    private static void awaitStarts(Path log, int count) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (starts(log) < count) {
            assertTrue(System.nanoTime() < deadline, "fewer than " + count + " children started");
            Thread.sleep(50);
        }
    }

    private static long starts(Path log) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.startsWith("start")).count() : 0;
    }
}
