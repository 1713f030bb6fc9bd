package io.sessiond.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.RejectedException;
import io.sessiond.testsupport.RacingSweepers;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web-session rules at the domain layer, against the stored rows: idle expiry, the sweeper, the
 * operators' listing, and what invalidate and regenerate leave behind.
 */
@QuarkusTest
class WebSessionServiceTest {

    @Inject
    WebSessionService sessions;

    @Inject
    WebSessionSweeper sweeper;

    @Inject
    CookieSigner signer;

    @Inject
    WebSessionConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    EntityManager em;

    @AfterEach
    void resumeSweeper() {
        sweeper.resume();
    }

    @Test
    void everyAccessMovesTheExpiryToTimeoutAfterIt() throws InterruptedException {
        IssuedWebSession created = sessions.create(data("{\"a\":1}"));
        WebSession row = row(created.id());
        assertEquals(config.timeout(), Duration.between(row.accessedAt, row.expiresAt));
        assertEquals(row.createdAt, row.accessedAt);

        Thread.sleep(100);
        sessions.touch(created.id());
        WebSession touched = row(created.id());
        assertTrue(touched.accessedAt.isAfter(row.accessedAt));
        assertEquals(row.accessedAt, touched.lastAccessedAt);
        assertEquals(config.timeout(), Duration.between(touched.accessedAt, touched.expiresAt));

        Thread.sleep(100);
        sessions.save(created.id(), OptionalLong.of(1), data("{\"a\":2}"));
        WebSession saved = row(created.id());
        assertEquals(touched.accessedAt, saved.lastAccessedAt);
        assertEquals(config.timeout(), Duration.between(saved.accessedAt, saved.expiresAt));

        Thread.sleep(100);
        sessions.get(created.id());
        assertEquals(saved.accessedAt, row(created.id()).accessedAt, "loading is not an access");
    }

    @Test
    void anIdleSessionIsGoneAfterTheTimeoutAndATouchedOneIsNot() {
        sweeper.pause();
        String idle = sessions.create(data("{}")).id();
        String active = sessions.create(data("{}")).id();
        Duration timeout = config.timeout();

        age(timeout.dividedBy(2), idle, active);
        sessions.touch(active);
        age(timeout.dividedBy(2).plusSeconds(1), idle, active);

        assertEquals(active, sessions.get(active).id(), "touched half a timeout ago: alive");
        assertTrue(sessions.list(0, Integer.MAX_VALUE).stream().noneMatch(view -> view.id().equals(idle)));
        assertEquals(1, sessions.list(0, Integer.MAX_VALUE).stream().filter(view -> view.id().equals(active)).count());
        assertNotNull(row(idle), "the sweeper is paused and no request named it: the row is still stored");

        assertTrue(sessions.sweepExpired(1000).contains(idle));
        assertNull(row(idle));
        assertNotNull(row(active));
    }

    @Test
    void everyRequestThatFindsATimedOutSessionAnswersNotFoundAndDeletesIt() {
        sweeper.pause();
        Map<String, Consumer<String>> uses = new LinkedHashMap<>();
        uses.put("get", sessions::get);
        uses.put("resolve", id -> sessions.resolve(signer.sign(id)));
        uses.put("summary", sessions::summary);
        uses.put("touch", sessions::touch);
        uses.put("save", id -> sessions.save(id, OptionalLong.empty(), data("{}")));
        uses.put("regenerate", sessions::regenerate);
        uses.put("invalidate", sessions::invalidate);
        uses.put("lock", id -> sessions.lock(id, Duration.ofSeconds(1)));
        uses.put("unlock", id -> sessions.unlock(id, UUID.randomUUID()));
        uses.put("delete", sessions::delete);
        uses.forEach((name, use) -> {
            String id = sessions.create(data("{\"secret\":\"" + name + "\"}")).id();
            age(config.timeout(), id);
            long live = sessions.count();

            RejectedException gone = assertThrows(RejectedException.class, () -> use.accept(id), name);

            assertEquals(RejectedException.Reason.NOT_FOUND, gone.reason(), name);
            assertEquals("Web session '" + id + "' not found", gone.getMessage(), name);
            assertNull(row(id), name + " deleted the timed-out row, before the sweeper");
            assertEquals(live, sessions.count(), name + " created nothing in its place");
        });
    }

    @Test
    void theSweeperRemovesTimedOutSessions() throws InterruptedException {
        String id = sessions.create(data("{}")).id();
        age(config.timeout(), id);
        Instant deadline = Instant.now().plusSeconds(30);
        while (row(id) != null) {
            assertTrue(Instant.now().isBefore(deadline), "web session " + id + " still stored");
            Thread.sleep(100);
        }
    }

    @Test
    void racingSweepersDeleteEachTimedOutSessionExactlyOnce() throws Exception {
        sweeper.pause();
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            created.add(sessions.create(data("{}")).id());
        }
        age(config.timeout(), created.toArray(String[]::new));

        List<String> all = RacingSweepers.race(sessions::sweepExpired, 7);

        assertEquals(new HashSet<>(all).size(), all.size(), "no session was deleted twice");
        assertTrue(all.containsAll(created), "every timed-out session was deleted");
        for (String id : created) {
            assertNull(row(id));
        }
    }

    @Test
    void invalidateAndRegenerateRemoveTheOldRow() {
        WebSessionView original = sessions.create(data("{\"user\":\"alice\"}")).session();

        WebSessionView moved = sessions.regenerate(original.id()).session();
        assertNull(row(original.id()));
        assertEquals("alice", moved.data().get("user").asText());
        assertEquals(original.created(), row(moved.id()).createdAt);

        WebSessionView fresh = sessions.invalidate(moved.id()).session();
        assertNull(row(moved.id()));
        assertEquals("{}", row(fresh.id()).data);
        assertTrue(fresh.created().isAfter(original.created()));
    }

    @Test
    void theListingPagesThroughEveryLiveSessionOnce() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(sessions.create(data("{\"i\":" + i + "}")).id());
        }
        long count = sessions.count();
        List<String> seen = new ArrayList<>();
        for (int page = 0; page * 3 < count; page++) {
            List<WebSessionSummary> views = sessions.list(page, 3);
            assertTrue(views.size() <= 3);
            views.forEach(view -> seen.add(view.id()));
        }
        assertEquals(new HashSet<>(seen).size(), seen.size(), "no session on two pages");
        assertTrue(seen.containsAll(created), "every created session listed");
        assertTrue(count >= created.size());
    }

    @Test
    void dataIsStoredInClearAsJsonbWithoutAKey() {
        String id = sessions.create(data("{\"user\":\"alice\"}")).id();
        WebSession stored = row(id);
        assertEquals("{\"user\": \"alice\"}", QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("SELECT data::text FROM web_sessions WHERE id = ?1").setParameter(1, id)
                .getSingleResult()));
        assertNull(stored.encryptedData);
    }

    private ObjectNode data(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /**
     * Lets {@code by} pass for these sessions only: every time they recorded moves back by it. The idle
     * timeout is the configured one (30 minutes), not shortened for the tests, and no test sleeps through it.
     */
    private void age(Duration by, String... ids) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE web_sessions SET "
                        + "created_at = created_at - make_interval(secs => ?2), "
                        + "accessed_at = accessed_at - make_interval(secs => ?2), "
                        + "last_accessed_at = last_accessed_at - make_interval(secs => ?2), "
                        + "expires_at = expires_at - make_interval(secs => ?2) WHERE id = ANY(?1)")
                .setParameter(1, ids)
                .setParameter(2, by.toMillis() / 1000.0)
                .executeUpdate());
    }

    private static WebSession row(String id) {
        return QuarkusTransaction.requiringNew().call(() -> WebSession.findById(id));
    }
}
