package io.sessiond.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.AdminApi;
import io.sessiond.testsupport.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static io.sessiond.session.SessionActivity.Access.READ;
import static io.sessiond.session.SessionActivity.Access.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection accounting: counted in memory, flushed in batches, added up across flushes and instances. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class SessionActivityTest {

    @Inject
    SessionWrites sessions;

    @Inject
    SessionActivity activity;

    @Inject
    SessionAdministration administration;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL server;

    @Test
    void eachClientIsOneConnectionWithItsOwnCounts() {
        Session session = sessions.create(spec(SessionClient.atAddress("10.0.0.9", 40000))).toCompletableFuture().join();
        SessionClient named = SessionClient.named("app-a", "10.0.0.1", 4000);
        SessionClient unnamed = SessionClient.atAddress("10.0.0.2", 5000);
        for (int i = 0; i < 3; i++) {
            activity.record(session.id, named, READ);
        }
        activity.record(session.id, named, WRITE);
        activity.flush();
        activity.record(session.id, SessionClient.named("app-a", "10.0.0.1", 4001), WRITE);
        activity.record(session.id.toString(), unnamed, WRITE);

        SessionDetails details = administration.find(session.id.toString()).orElseThrow();
        Map<String, SessionConnection> byClient = details.connections().stream()
                .collect(Collectors.toMap(connection -> connection.client, Function.identity()));
        SessionConnection a = byClient.get("app-a");
        assertEquals(3, a.reads);
        assertEquals(2, a.writes);
        assertEquals(4001, a.remotePort, "the latest address of a named client");
        assertTrue(a.isNamed());
        SessionConnection b = byClient.get("10.0.0.2:5000");
        assertEquals(0, b.reads);
        assertEquals(1, b.writes);
        assertFalse(b.isNamed());
        assertFalse(details.idle().isNegative());
        assertEquals("10.0.0.9", details.session().remoteAddress);
        assertEquals(SessionRules.DEFAULT_SERVICE, details.session().service);
    }

    /** Two instances flushing counts of the same client at once: the database adds them up. */
    @Test
    void instancesFlushingTheSameClientAddUp() throws Exception {
        Session session = sessions.create(spec(null)).toCompletableFuture().join();
        SessionActivity otherInstance = new SessionActivity(dataSource);
        SessionClient client = SessionClient.named("shared", "10.0.0.3", 6000);
        for (int i = 0; i < 50; i++) {
            activity.record(session.id, client, READ);
            otherInstance.record(session.id, client, WRITE);
        }
        CompletableFuture.allOf(CompletableFuture.runAsync(activity::flush),
                CompletableFuture.runAsync(otherInstance::flush)).get();

        List<SessionConnection> connections = administration.find(session.id.toString()).orElseThrow().connections();
        assertEquals(1, connections.size());
        assertEquals(50, connections.get(0).reads);
        assertEquals(50, connections.get(0).writes);
    }

    /**
     * A client known only by its socket address is a new client on every new TCP connection, so reads over
     * fresh connections must not grow the table: the most recent clients keep their rows, the rest are folded
     * into one row whose counters keep the totals.
     */
    @Test
    void readsOverNewConnectionsKeepABoundedNumberOfRowsWithHonestCounts() throws Exception {
        Session session = sessions.create(spec(null)).toCompletableFuture().join();
        activity.flush();
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket(server.getHost(), server.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET /v1/session/info/" + session.id + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
            if (i % 10 == 9) {
                activity.flush();
            }
        }
        activity.flush();
        // The application's periodic flush may hold the last requests' counts a moment longer.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (stored(session).reads() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        Stored stored = stored(session);
        assertEquals(SessionActivity.CLIENTS_KEPT + 1, stored.rows(), "the most recent clients and the folded row: " + stored);
        assertEquals(100, stored.reads(), "every read counted: " + stored);
        assertEquals(100, stored.clients(), "each connection was one client: " + stored);
        JsonNode listed = AdminApi.get("/v1/sessions/" + session.id + "/connections").get("data");
        assertEquals(stored.rows(), listed.size(), "what the admin API lists");
        long reads = 0;
        List<JsonNode> folded = new ArrayList<>();
        for (JsonNode connection : listed) {
            reads += connection.at("/attributes/reads").asLong();
            if (connection.at("/attributes/state").asText().equals("folded")) {
                folded.add(connection);
            }
        }
        assertEquals(100, reads, "the admin API's counts add up to every read");
        assertEquals(1, folded.size(), listed.toString());
        assertEquals(100 - SessionActivity.CLIENTS_KEPT, folded.get(0).at("/attributes/folded_clients").asLong());
    }

    /** Two instances flushing many new clients of one session at once: neither the bound nor a count gives way. */
    @Test
    void instancesFoldingTheSameSessionAtOnceKeepTheBoundAndTheCounts() throws Exception {
        Session session = sessions.create(spec(null)).toCompletableFuture().join();
        // Two instances of their own: the application's periodic flush must not hold part of a round.
        SessionActivity oneInstance = new SessionActivity(dataSource);
        SessionActivity otherInstance = new SessionActivity(dataSource);
        int port = 10_000;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 40; i++) {
                oneInstance.record(session.id, SessionClient.atAddress("10.1.0.1", port++), READ);
                otherInstance.record(session.id, SessionClient.atAddress("10.1.0.2", port++), WRITE);
            }
            CompletableFuture.allOf(CompletableFuture.runAsync(oneInstance::flush),
                    CompletableFuture.runAsync(otherInstance::flush)).get();
            Stored stored = stored(session);
            assertTrue(stored.rows() <= SessionActivity.CLIENTS_KEPT + 1, stored.toString());
            assertEquals(40L * (round + 1), stored.reads(), stored.toString());
            assertEquals(40L * (round + 1), stored.writes(), stored.toString());
            assertEquals(80L * (round + 1), stored.clients(), "every client is a row or folded into one: " + stored);
        }
    }

    /** A read refused for its query uses no session: only the valid read is counted. */
    @Test
    void aRefusedReadIsNotCounted() throws SQLException {
        Session session = sessions.create(spec(null)).toCompletableFuture().join();
        activity.flush();
        long before = stored(session).reads();
        given().baseUri(server.toString()).header("X-Sessiond-Client", "refused-reader")
                .get("v1/session/info/" + session.id + "?index=NaN&wait=1ms").then().statusCode(400);
        given().baseUri(server.toString()).header("X-Sessiond-Client", "refused-reader")
                .get("v1/session/info/" + session.id + "?index=1&wait=5").then().statusCode(400);
        given().baseUri(server.toString()).header("X-Sessiond-Client", "valid-reader")
                .get("v1/session/info/" + session.id).then().statusCode(200);
        activity.flush();
        assertEquals(before + 1, stored(session).reads(), "only the valid read counted");
    }

    @Test
    void activityOfAnEndedSessionIsDropped() {
        Session session = sessions.create(spec(null)).toCompletableFuture().join();
        activity.record(session.id, SessionClient.atAddress("10.0.0.4", 7000), WRITE);
        assertTrue(sessions.destroy(session.id.toString()).toCompletableFuture().join());
        activity.flush();
        assertEquals(0, SessionConnection.count("session", session.id));
        assertFalse(sessions.destroy(session.id.toString()).toCompletableFuture().join(), "a second destroy ends nothing");
    }

    /** What the table holds for a session, read afresh (entities already loaded in this thread would be stale). */
    private record Stored(long rows, long reads, long writes, long clients) {
    }

    private Stored stored(Session session) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*), coalesce(sum(reads), 0), "
                     + "coalesce(sum(writes), 0), coalesce(sum(CASE WHEN client = '' THEN folded_clients ELSE 1 END), 0) "
                     + "FROM session_connections WHERE session = ?")) {
            query.setObject(1, session.id);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new Stored(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
            }
        }
    }

    private static SessionSpec spec(SessionClient client) {
        return new SessionSpec("activity", null, 0, "", "", List.of("serfHealth"), null, null, null, client);
    }
}
