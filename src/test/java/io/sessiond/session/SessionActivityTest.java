package io.sessiond.session;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.testsupport.EmbeddedPostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

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
    SessionService sessions;

    @Inject
    SessionActivity activity;

    @Inject
    SessionAdministration administration;

    @Inject
    AgroalDataSource dataSource;

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
        assertEquals(SessionService.DEFAULT_SERVICE, details.session().service);
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

    @Test
    void activityOfAnEndedSessionIsDropped() {
        Session session = sessions.create(spec(null)).toCompletableFuture().join();
        activity.record(session.id, SessionClient.atAddress("10.0.0.4", 7000), WRITE);
        assertTrue(sessions.destroy(session.id.toString()).toCompletableFuture().join());
        activity.flush();
        assertEquals(0, SessionConnection.count("session", session.id));
        assertFalse(sessions.destroy(session.id.toString()).toCompletableFuture().join(), "a second destroy ends nothing");
    }

    private static SessionSpec spec(SessionClient client) {
        return new SessionSpec("activity", null, 0, "", "", List.of("serfHealth"), null, null, null, client);
    }
}
