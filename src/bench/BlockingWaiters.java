import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load for blocking-queries.sh: parks {@code waiters} blocking queries on sessiond, half on key
 * bench/woken and half on bench/untouched, each on a connection of its own; once all are parked, reads
 * the server's thread count and heap (jcmd), then writes bench/woken once and measures, per waiter of
 * that key, the time from the write's acknowledgement to its answer, and the CPU time the server (and this
 * load) used from the write until the last answer. The other half must stay parked.
 * Every wait is bounded. Prints one {@code name=value} line per figure; exit 1 on a wrong answer.
 *
 * <p>Usage: {@code java BlockingWaiters.java <port> <server pid> <waiters>}
 */
public class BlockingWaiters {

    private static final Duration PARK_LIMIT = Duration.ofSeconds(120);
    private static final Duration WAKE_LIMIT = Duration.ofSeconds(60);
    /** How long the waiters of the untouched key are watched after the write. */
    private static final Duration QUIET_CHECK = Duration.ofSeconds(3);

    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:" + args[0] + "/v1/kv/bench/";
        long serverPid = Long.parseLong(args[1]);
        int waiters = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();

        put(client, base + "woken", "before");
        put(client, base + "untouched", "before");
        long wokenIndex = index(client, base + "woken");
        long untouchedIndex = index(client, base + "untouched");

        // Each waiter: the time its answer arrived, and its body.
        long[] answeredAt = new long[waiters];
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        AtomicInteger early = new AtomicInteger();
        for (int i = 0; i < waiters; i++) {
            boolean woken = i % 2 == 0;
            String url = base + (woken ? "woken" : "untouched") + "?index=" + (woken ? wokenIndex : untouchedIndex) + "&wait=5m";
            int waiter = i;
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(PARK_LIMIT.plus(WAKE_LIMIT)).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        answeredAt[waiter] = System.nanoTime();
                        early.incrementAndGet();
                    }));
        }
        // Parked: the server accepted every connection, answered none and is idle. The connections are
        // counted on the server's side, in /proc, as open sockets.
        long deadline = System.nanoTime() + PARK_LIMIT.toNanos();
        int sockets;
        while ((sockets = sockets(serverPid)) < waiters && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        // Accepted is not yet parked: the server may still be reading for the queries it received. Wait
        // until it is idle (below a tenth of a core over a second), so the write does not queue behind them.
        long cpu = cpuMillis(Long.toString(serverPid));
        do {
            Thread.sleep(1000);
            long now = cpuMillis(Long.toString(serverPid));
            long used = now - cpu;
            cpu = now;
            if (used < 100) {
                break;
            }
        } while (System.nanoTime() < deadline);
        if (early.get() > 0) {
            fail(early.get() + " waiters were answered before any write");
        }
        System.out.println("waiters=" + waiters);
        System.out.println("server_sockets=" + sockets);
        System.out.println("server_threads_parked=" + status(serverPid, "Threads"));
        System.out.println("server_rss_kib_parked=" + status(serverPid, "VmRSS"));
        run("jcmd", Long.toString(serverPid), "GC.run");
        System.out.println("server_heap_used_after_gc_kib=" + heapUsedKib(serverPid));

        long serverCpuBefore = cpuMillis(Long.toString(serverPid));
        long ownCpuBefore = cpuMillis("self");
        long written = System.nanoTime();
        put(client, base + "woken", "after");
        long acknowledged = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < waiters; i += 2) {
            HttpResponse<String> response = answers.get(i).get(WAKE_LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (response.statusCode() != 200 || !response.body().contains("\"Value\":\"YWZ0ZXI=\"")) {
                fail("a waiter of bench/woken got " + response.statusCode() + " " + response.body());
            }
            latencies.add(answeredAt[i] - acknowledged);
        }
        long lastWoken = latencies.stream().mapToLong(Long::longValue).max().orElse(0) + acknowledged;
        long serverCpu = cpuMillis(Long.toString(serverPid)) - serverCpuBefore;
        long ownCpu = cpuMillis("self") - ownCpuBefore;
        Thread.sleep(QUIET_CHECK.toMillis());
        int wronglyWoken = 0;
        for (int i = 1; i < waiters; i += 2) {
            if (answers.get(i).isDone()) {
                wronglyWoken++;
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("write_ms=%.1f%n", (acknowledged - written) / 1e6);
        System.out.printf("wake_p50_ms=%.1f%nwake_p99_ms=%.1f%nwake_max_ms=%.1f%n", percentile(sorted, 50) / 1e6,
                percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
        System.out.printf("all_woken_after_ms=%.1f%n", (lastWoken - acknowledged) / 1e6);
        System.out.println("server_cpu_ms_write_and_wake=" + serverCpu);
        System.out.println("load_cpu_ms_write_and_wake=" + ownCpu);
        System.out.println("untouched_waiters_answered=" + wronglyWoken);
        System.out.println("server_threads_after=" + status(serverPid, "Threads"));
        if (wronglyWoken > 0) {
            fail(wronglyWoken + " waiters of bench/untouched were answered although that key did not change");
        }
        System.exit(0);
    }

    private static void put(HttpClient client, String url, String value) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(value)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().equals("true")) {
            fail("PUT " + url + " answered " + response.statusCode() + " " + response.body());
        }
    }

    private static long index(HttpClient client, String url) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
    }

    private static long percentile(long[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
    }

    /** Open sockets of the process: its file descriptors that are sockets. */
    private static int sockets(long pid) throws IOException {
        int count = 0;
        try (var fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        count++;
                    }
                } catch (IOException closedMeanwhile) {
                    // The descriptor was closed while listed.
                }
            }
        }
        return count;
    }

    /**
     * CPU time (user + system) a process has used, from /proc/PID/stat: robust on a loaded machine, where
     * wall-clock figures depend on what else runs.
     */
    private static long cpuMillis(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command; in clock ticks (100 Hz).
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    private static String status(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).trim().split("\\s+")[0])
                .findFirst().orElseThrow();
    }

    /** The "used" figure of jcmd's GC.heap_info (the first line that has one: the whole heap). */
    private static String heapUsedKib(long pid) throws Exception {
        return Arrays.stream(run("jcmd", Long.toString(pid), "GC.heap_info").split("\n"))
                .filter(line -> line.contains(" used "))
                .findFirst()
                .map(line -> line.replaceAll(".* used (\\d+)K.*", "$1"))
                .orElse("unknown");
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        return new String(process.getInputStream().readAllBytes());
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }
}
