package io.sessiond.client;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.Waits;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java client against the real server. The test profile's TTL floor of 100 ms lets sessions with
 * sub-second TTLs show, in seconds, what a 10 s TTL shows in minutes.
 */
@QuarkusTest
class SessiondClientTest {

    @TestHTTPResource("/")
    URL server;

    private SessiondClient client() {
        return client(URI.create(server.toString()));
    }

    private static SessiondClient client(URI base) {
        return SessiondClient.builder(base).lockRetry(Duration.ofMillis(200)).lockWait(Duration.ofSeconds(5)).build();
    }

    private static SessionOptions shortLived(String name) {
        return SessionOptions.named(name).withTtl(Duration.ofMillis(500)).withLockDelay(Duration.ofMillis(500));
    }

    private static boolean alive(String id) {
        return !given().when().get("/v1/session/info/" + id).then().extract().asString().equals("[]");
    }

    @Test
    void anOpenSessionIsRenewedFarPastItsTtl() throws InterruptedException {
        try (SessiondClient client = client()) {
            ClientSession session = client.createSession(shortLived("renewed"));
            assertEquals(ClientSession.State.NEW, session.state());
            assertEquals(null, session.id(), "creating is local: no lease yet");
            session.open();
            assertEquals(ClientSession.State.OPEN, session.state());
            // Six TTLs, three times TTL x 2: alive and open all along.
            Waits.throughout(Duration.ofSeconds(3), () -> {
                assertTrue(alive(session.id()));
                assertEquals(ClientSession.State.OPEN, session.state());
            });
            session.close();
            assertFalse(alive(session.id()), "close destroys the lease");
            assertEquals(ClientSession.State.CLOSED, session.state());
            session.close();
        }
    }

    @Test
    void aSessionDestroyedBehindTheClientsBackIsLostLoudly() throws Exception {
        try (SessiondClient client = client()) {
            AtomicReference<String> told = new AtomicReference<>();
            ClientSession session = client.createSession(shortLived("doomed")).open()
                    .onLost((id, cause) -> told.set(id));
            given().when().put("/v1/session/destroy/" + session.id()).then().statusCode(200);

            ExecutionFailure failure = ExecutionFailure.of(session.lost(), Duration.ofSeconds(5));
            assertTrue(failure.cause() instanceof SessionLostException, String.valueOf(failure.cause()));
            assertEquals(ClientSession.State.LOST, session.state());
            assertEquals(session.id(), told.get(), "the listener was told");
            assertThrows(SessionLostException.class, session::extend);
            session.close();
            assertEquals(ClientSession.State.CLOSED, session.state());
        }
    }

    @Test
    void renewalRetriesThroughAServerThatAnswers503ForAWhile() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        Instant recovers = Instant.now().plusSeconds(60);
        AtomicReference<Instant> outageEnds = new AtomicReference<>(recovers);
        HttpServer proxy = flakyProxy(outageEnds, refused);
        try (SessiondClient client = client(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()))) {
            ClientSession session = client.createSession(SessionOptions.named("patient").withTtl(Duration.ofSeconds(2))
                    .withRenewInterval(Duration.ofMillis(200))).open();
            outageEnds.set(Instant.now().plusMillis(800)); // renewals answer 503 for 0.8 s of the 2 s TTL
            // Through the outage and past the TTL the session had when it began: open and alive all along.
            Waits.throughout(Duration.ofMillis(2500), () -> {
                assertEquals(ClientSession.State.OPEN, session.state());
                assertTrue(alive(session.id()));
            });
            assertTrue(refused.get() >= 2, "the outage was seen: " + refused.get() + " refusals");
            assertEquals(ClientSession.State.OPEN, session.state(), "retried until the server recovered");
            assertTrue(alive(session.id()));
            session.close();
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aSessionThatCannotBeRenewedBeforeItsTtlEndsIsLost() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<Instant> outageEnds = new AtomicReference<>(Instant.now().plusSeconds(3600));
        HttpServer proxy = flakyProxy(outageEnds, refused);
        try (SessiondClient client = client(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()))) {
            ClientSession session = client.createSession(shortLived("unlucky")).open();
            ExecutionFailure failure = ExecutionFailure.of(session.lost(), Duration.ofSeconds(5));
            assertTrue(failure.cause().getMessage().contains("503"), failure.cause().getMessage());
            assertEquals(ClientSession.State.LOST, session.state());
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void attachingNeitherRenewsNorDestroys() throws InterruptedException {
        try (SessiondClient client = client()) {
            ClientSession owner = client.createSession(SessionOptions.named("owner").withTtl(Duration.ofSeconds(30))).open();
            ClientSession attached = client.connectToSession(owner.id());
            assertEquals(ClientSession.State.ATTACHED, attached.state());
            assertEquals(Duration.ofSeconds(30), attached.extend());
            attached.close();
            assertTrue(alive(owner.id()), "closing an attached session only detaches");
            client.connectToSessionAndDestroyOnClose(owner.id()).close();
            assertFalse(alive(owner.id()));
        }
    }

    @Test
    void attachOrCreateSaysWhenItCreated() {
        try (SessiondClient client = client()) {
            ClientSession existing = client.createSession(SessionOptions.named("existing").withTtl(Duration.ofSeconds(30))).open();
            ClientSession attached = client.attachOrCreate(existing.id(), SessionOptions.named("fallback"));
            assertFalse(attached.isNewSession());
            assertEquals(existing.id(), attached.id());
            existing.close();

            ClientSession replaced = client.attachOrCreate(existing.id(), SessionOptions.named("fallback").withTtl(Duration.ofSeconds(30)));
            assertTrue(replaced.isNewSession());
            assertNotEquals(existing.id(), replaced.id());
            assertEquals(ClientSession.State.OPEN, replaced.state());
            replaced.close();
        }
    }

    @Test
    void aSessionOpensOnce() {
        try (SessiondClient client = client()) {
            ClientSession session = client.createSession(SessionOptions.named("once").withTtl(Duration.ofSeconds(30))).open();
            assertThrows(IllegalStateException.class, session::open);
            session.close();
            assertThrows(IllegalStateException.class, session::open);
            assertThrows(IllegalStateException.class, session::extend);
        }
    }

    @Test
    void badOptionsAreRefusedBeforeAnyRequest() {
        assertThrows(IllegalArgumentException.class, () -> SessionOptions.named("x").withTtl(Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> SessionOptions.named("x").withTtl(Duration.ofSeconds(10)).withRenewInterval(Duration.ofSeconds(10)));
        try (SessiondClient client = client()) {
            SessiondException refused = assertThrows(SessiondException.class,
                    () -> client.createSession(SessionOptions.named("x").withTtl(Duration.ofMillis(10))).open());
            assertEquals(400, refused.status());
            assertTrue(refused.getMessage().contains("Invalid Session TTL"), refused.getMessage());
        }
    }

    @Test
    void twoLockHandlesOnOneKeyTakeTurns() throws Exception {
        String key = "service/leader-" + System.nanoTime();
        try (SessiondClient client = client()) {
            LockHandle first = client.lock(key, shortLived("first"));
            assertTrue(first.isHeld());
            given().when().get("/v1/kv/" + key).then().body("[0].Session", equalTo(first.session().id()));

            CompletableFuture<LockHandle> second = client.lockAsync(key, shortLived("second"));
            Waits.throughout(Duration.ofMillis(1500),
                    () -> assertFalse(second.isDone(), "the second took the lock while the first held it"));

            first.close();
            LockHandle taken = second.get(10, TimeUnit.SECONDS);
            assertTrue(taken.isHeld());
            assertFalse(first.isHeld());
            given().when().get("/v1/kv/" + key).then().body("[0].Session", equalTo(taken.session().id()));
            taken.close();
        }
    }

    @Test
    void aLockWhoseSessionDiesIsLost() throws Exception {
        String key = "service/fragile-" + System.nanoTime();
        try (SessiondClient client = client()) {
            LockHandle handle = client.lock(key, shortLived("fragile"));
            given().when().put("/v1/session/destroy/" + handle.session().id()).then().statusCode(200);
            ExecutionFailure failure = ExecutionFailure.of(handle.lost(), Duration.ofSeconds(5));
            assertTrue(failure.cause() instanceof SessionLostException, String.valueOf(failure.cause()));
            assertFalse(handle.isHeld());
            handle.close();
        }
    }

    /**
     * The example of docs/client.md, as written there, with what it claims checked: the session is open, the
     * lock is held by the lock's own session, and closing gives both up.
     */
    @Test
    void theReadmeExampleWorks() {
        URI sessiond = URI.create(server.toString());
        String sessionId;
        String lockSessionId;
        // docs/client.md example begins
        try (SessiondClient client = SessiondClient.builder(sessiond).build();
             ClientSession session = client.createSession(SessionOptions.named("worker")).open();
             LockHandle leader = client.lock("service/leader")) {
            System.out.println(session.id() + " is open; leading: " + leader.isHeld());
            // docs/client.md example ends
            assertTrue(leader.isHeld(), "the lock call returns once the lock is held");
            sessionId = session.id();
            lockSessionId = leader.session().id();
            given().when().get("/v1/session/info/" + sessionId).then().body("[0].Name", equalTo("worker"));
            given().when().get("/v1/kv/service/leader").then().statusCode(200).body("[0].Session", equalTo(lockSessionId));
        }
        given().when().get("/v1/session/info/" + sessionId).then().body(equalTo("[]"));
        given().when().get("/v1/session/info/" + lockSessionId).then().body(equalTo("[]"));
        given().when().get("/v1/kv/service/leader").then().statusCode(200).body("[0].Session", nullValue());
    }

    /** How a future failed, or a test failure if it did not fail in time. */
    private record ExecutionFailure(Throwable cause) {
        static ExecutionFailure of(CompletableFuture<?> future, Duration limit) throws InterruptedException {
            try {
                future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("completed normally");
            } catch (java.util.concurrent.ExecutionException e) {
                return new ExecutionFailure(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("did not fail within " + limit);
            }
        }
    }

    /** A proxy to the test server that answers 503 to renewals until {@code outageEnds}. */
    private HttpServer flakyProxy(AtomicReference<Instant> outageEnds, AtomicInteger refused) throws IOException {
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            String path = exchange.getRequestURI().toString();
            if (path.startsWith("/v1/session/renew/") && Instant.now().isBefore(outageEnds.get())) {
                refused.incrementAndGet();
                byte[] body = "unavailable".getBytes();
                exchange.sendResponseHeaders(503, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
                return;
            }
            HttpURLConnection upstream = (HttpURLConnection) new URL(server, path).openConnection();
            upstream.setRequestMethod(exchange.getRequestMethod());
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            if (requestBody.length > 0) {
                upstream.setDoOutput(true);
                try (OutputStream out = upstream.getOutputStream()) {
                    out.write(requestBody);
                }
            }
            int status = upstream.getResponseCode();
            byte[] body;
            try (InputStream in = status < 400 ? upstream.getInputStream() : upstream.getErrorStream()) {
                body = in == null ? new byte[0] : in.readAllBytes();
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        proxy.start();
        return proxy;
    }
}
