package io.sessiond.fault;

import io.sessiond.testsupport.FaultFigures;
import io.sessiond.testsupport.FaultLoad;
import io.sessiond.testsupport.PackagedInstance;
import io.sessiond.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL fails over under load: two packaged instances use the driver's multi-host URL (primary, then
 * its synchronous streaming standby, {@code targetServerType=primary}); the primary is stopped with {@code
 * -m fast} and the standby promoted. Both instances carry on against the new
 * primary without a restart: nothing acknowledged is lost, failures are 503s only (a fast shutdown fails the
 * commits in flight, which were 500s), the writers' sessions
 * and locks hold, and each instance's LISTEN connection follows (a blocking query on one wakes for a write
 * made through the other).
 */
class PostgresFailoverIT {

    private static PostgresServer primary;
    private static PostgresServer standby;
    private static PackagedInstance a;
    private static PackagedInstance b;

    @BeforeAll
    static void start() throws Exception {
        primary = PostgresServer.primary();
        standby = primary.synchronousStandby();
        primary.awaitStandbyStreaming();
        String url = "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port()
                + "/postgres?targetServerType=primary";
        a = PackagedInstance.start("failover-a", url, Map.of());
        b = PackagedInstance.start("failover-b", url, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, primary, standby}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void thePromotedStandbyTakesOverWithoutARestartOrALostWrite() throws Exception {
        FaultLoad load = FaultLoad.start("failover", 4, List.of(a.baseUrl(), b.baseUrl()));
        load.runFor(Duration.ofSeconds(2));
        // A fast shutdown, as a primary is stopped on a switchover: it ends every connection, failing what is in flight.
        primary.stop("fast");
        standby.promote();
        long ready = System.nanoTime();
        long firstSuccess = load.millisToFirstSuccessAfter(ready);
        load.runFor(Duration.ofSeconds(4));
        FaultFigures figures = load.figures("PostgreSQL failover (standby promoted)", a.baseUrl(), firstSuccess).print();

        assertEquals(0, figures.lost(), "acknowledged writes lost");
        assertTrue(Set.of("503").containsAll(figures.failed().keySet()), "failed requests " + figures.failedText()
                + "\n" + a.log());
        assertTrue(figures.millisToFirstSuccess() < 2000, "first success " + figures.millisToFirstSuccess()
                + " ms after the standby was promoted");
        assertEquals(0, figures.sessionsInvalidated(), "writers' sessions or locks ended");

        assertListenerFollowed(a, b);
        assertListenerFollowed(b, a);
    }

    /** A blocking query on {@code waiter} is woken by a write through {@code writer}: its LISTEN connection works. */
    private static void assertListenerFollowed(PackagedInstance waiter, PackagedInstance writer) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String key = "/v1/kv/failover-listen/" + waiter.node();
        http.send(HttpRequest.newBuilder(URI.create(writer.baseUrl() + key)).PUT(HttpRequest.BodyPublishers.ofString("1"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> current = http.send(HttpRequest.newBuilder(URI.create(waiter.baseUrl() + key)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, current.statusCode(), current.body());
        String index = current.headers().firstValue("X-Consul-Index").orElseThrow();
        CompletableFuture<HttpResponse<String>> parked = http.sendAsync(HttpRequest.newBuilder(
                URI.create(waiter.baseUrl() + key + "?index=" + index + "&wait=30s")).build(), HttpResponse.BodyHandlers.ofString());
        // The blocking query parks first: a write that came before it would answer it at once anyway.
        Thread.sleep(200);
        long written = System.nanoTime();
        http.send(HttpRequest.newBuilder(URI.create(writer.baseUrl() + key)).PUT(HttpRequest.BodyPublishers.ofString("2"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> woken = parked.get(30, TimeUnit.SECONDS);
        long millis = Duration.ofNanos(System.nanoTime() - written).toMillis();
        assertEquals(200, woken.statusCode(), woken.body());
        assertTrue(millis < 5000, "the blocking query on " + waiter.node() + " woke " + millis
                + " ms after the write: its LISTEN connection did not follow the failover\n" + waiter.log());
    }
}
