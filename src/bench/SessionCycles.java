import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load for footprint.sh: {@code cycles} times, one session is created, renewed and destroyed through the
 * Consul API, one request after the other on one kept-alive HTTP/1.1 connection to 127.0.0.1. Stops at
 * the first unexpected answer (exit 1) or when {@code limitSeconds} have passed (exit 2), so that a run
 * is always bounded. Prints {@code cycles=N seconds=S}.
 *
 * <p>Usage: {@code java SessionCycles.java <port> <cycles> <limitSeconds>} (a single-file program: the JDK
 * runs it from source, nothing to build).
 */
public class SessionCycles {

    private static final Pattern ID = Pattern.compile("\"ID\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int cycles = Integer.parseInt(args[1]);
        long limitNanos = Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
        String base = "http://127.0.0.1:" + port + "/v1/session/";
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        long start = System.nanoTime();
        int done = 0;
        while (done < cycles) {
            if (System.nanoTime() - start > limitNanos) {
                report(done, start);
                System.err.println("time limit of " + args[2] + " s reached after " + done + " cycles");
                System.exit(2);
            }
            String created = call(client, base + "create", "{\"Name\":\"bench\",\"TTL\":\"30s\"}");
            Matcher id = ID.matcher(created);
            if (!id.find()) {
                fail("create answered " + created);
            }
            String renewed = call(client, base + "renew/" + id.group(1), "");
            if (!renewed.contains(id.group(1))) {
                fail("renew answered " + renewed);
            }
            String destroyed = call(client, base + "destroy/" + id.group(1), "");
            if (!destroyed.equals("true")) {
                fail("destroy answered " + destroyed);
            }
            done++;
        }
        report(done, start);
    }

    private static String call(HttpClient client, String url, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            fail("PUT " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static void report(int done, long start) {
        System.out.printf("cycles=%d seconds=%.2f%n", done, (System.nanoTime() - start) / 1e9);
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }
}
