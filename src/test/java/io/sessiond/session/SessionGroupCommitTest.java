package io.sessiond.session;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.RejectedException;
import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.metrics.SessiondMetrics;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commit of session writes: many concurrent creates, renews and destroys, some of them refused,
 * are coalesced into few transactions, and still each request gets its own answer, and nothing is
 * acknowledged that is not committed.
 */
@QuarkusTest
class SessionGroupCommitTest {

    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(30);

    @Inject
    SessionWrites sessions;

    @Inject
    ChangeIndex changeIndex;

    @Inject
    EntityManager em;

    @Inject
    DataSource dataSource;

    @Inject
    SessiondMetrics metrics;

    @Test
    void concurrentCreatesGetTheirOwnAnswersAndShareFewCommits() {
        String name = "group-" + UUID.randomUUID();
        long indexBefore = QuarkusTransaction.requiringNew().call(() -> changeIndex.current(Table.SESSIONS));
        // Submitted all at once, without waiting: they queue while earlier batches commit.
        List<CompletionStage<Session>> valid = new ArrayList<>();
        List<CompletionStage<Session>> missingNode = new ArrayList<>();
        List<CompletionStage<Session>> missingCheck = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            switch (i % 10) {
                case 3 -> missingNode.add(sessions.create(spec(name, "no-such-node-" + i, null)));
                case 7 -> missingCheck.add(sessions.create(spec(name, null, List.of("no-such-check"))));
                default -> valid.add(sessions.create(spec(name, null, null)));
            }
        }
        // Refused before any batch: an invalid TTL is thrown at once, and the others are unaffected.
        RejectedException badTtl = assertThrows(RejectedException.class,
                () -> sessions.create(new SessionSpec(name, null, 0, "", "25h", null, null, null, null, null)));
        assertEquals(RejectedException.Reason.INVALID, badTtl.reason());
        // Text PostgreSQL cannot store would fail the whole batch: refused alone, up front.
        RejectedException nul = assertThrows(RejectedException.class,
                () -> sessions.create(spec(name + "\0", null, null)));
        assertEquals(RejectedException.Reason.INVALID, nul.reason());

        Set<Long> indexes = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        for (CompletionStage<Session> answer : valid) {
            Session created = await(answer);
            assertEquals(name, created.name);
            assertEquals(created.createIndex, created.modifyIndex);
            assertTrue(created.createIndex > indexBefore, "index " + created.createIndex + " after " + indexBefore);
            assertNotNull(created.expiresAt);
            // Acknowledged only once committed: another transaction sees the row with the same index.
            Session stored = QuarkusTransaction.requiringNew().call(() -> Session.<Session>findById(created.id));
            assertNotNull(stored, "acknowledged but not in the table: " + created.id);
            assertEquals(created.createIndex, stored.createIndex);
            indexes.add(created.createIndex);
            ids.add(created.id);
        }
        assertEquals(valid.size(), ids.size());
        for (CompletionStage<Session> answer : missingNode) {
            assertRejected(answer, RejectedException.Reason.INVALID, "apply failed: Missing node registration");
        }
        for (CompletionStage<Session> answer : missingCheck) {
            assertRejected(answer, RejectedException.Reason.INVALID, "apply failed: Missing check 'no-such-check' registration");
        }
        long stored = QuarkusTransaction.requiringNew().call(() -> Session.count("name", name));
        assertEquals(valid.size(), stored, "exactly the acknowledged sessions are stored");
        // Coalesced: fewer commits than sessions; each batch took a new, larger index.
        assertTrue(indexes.size() < valid.size(), indexes.size() + " indexes for " + valid.size() + " creates");
        long indexAfter = QuarkusTransaction.requiringNew().call(() -> changeIndex.current(Table.SESSIONS));
        assertTrue(indexAfter >= indexes.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    @Test
    void concurrentRenewsAndDestroysGetTheirOwnAnswers() {
        String name = "renew-" + UUID.randomUUID();
        List<Session> created = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            created.add(sessions.create(spec(name, null, null)).toCompletableFuture().join());
        }
        Instant before = QuarkusTransaction.requiringNew().call(
                () -> (Instant) em.createNativeQuery("SELECT now()", Instant.class).getSingleResult());

        List<CompletionStage<Session>> renewed = new ArrayList<>();
        List<CompletionStage<Session>> unknown = new ArrayList<>();
        for (Session session : created) {
            renewed.add(sessions.renew(session.id.toString()));
            // The same session twice in one batch: both are answered.
            renewed.add(sessions.renew(session.id.toString().toUpperCase()));
            unknown.add(sessions.renew(UUID.randomUUID().toString()));
        }
        RejectedException malformed = assertThrows(RejectedException.class, () -> sessions.renew("not-an-id"));
        assertEquals(RejectedException.Reason.NOT_FOUND, malformed.reason());
        for (int i = 0; i < renewed.size(); i++) {
            Session session = await(renewed.get(i));
            assertEquals(created.get(i / 2).id, session.id);
            assertFalse(session.lastRenewedAt.isBefore(before), session.lastRenewedAt + " before " + before);
            assertTrue(session.expiresAt.isAfter(created.get(i / 2).expiresAt));
        }
        for (CompletionStage<Session> answer : unknown) {
            assertRejected(answer, RejectedException.Reason.NOT_FOUND, "not found");
        }

        List<CompletionStage<Boolean>> destroyed = new ArrayList<>();
        for (Session session : created) {
            destroyed.add(sessions.destroy(session.id.toString()));
            destroyed.add(sessions.destroy(UUID.randomUUID().toString()));
        }
        destroyed.forEach(SessionGroupCommitTest::await);
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> Session.count("name", name)));
    }

    /**
     * Closing (at shutdown) lets every queued request be written and answered: the committers finish the
     * queue before they stop, however many batches it takes.
     */
    @Test
    void closingDrainsEveryQueuedRequest() {
        List<CompletionStage<Integer>> answers = new ArrayList<>();
        try (GroupCommit<Integer, Integer> commit = new GroupCommit<>("drain-test", metrics, GroupCommit.Transactions.jdbc(dataSource),
                (batch, connection) -> {
                    batch.forEach(pending -> pending.answer(pending.request() * 2));
                    return false;
                })) {
            for (int i = 0; i < 3 * GroupCommit.MAX_BATCH; i++) {
                answers.add(commit.submit(i));
            }
        }
        for (int i = 0; i < answers.size(); i++) {
            assertTrue(answers.get(i).toCompletableFuture().isDone(), "request " + i + " was not answered before close returned");
            assertEquals(i * 2, answers.get(i).toCompletableFuture().join());
        }
    }

    /**
     * A commit can fail after every statement of the batch succeeded: here a deferred constraint trigger,
     * checked only at COMMIT, refuses sessions named for it. A request answered before its commit would be
     * acknowledged although nothing was written; each write path must answer with the failure instead.
     */
    @Test
    void aCommitThatFailsAtCommitTimeIsNeverAcknowledged() throws Exception {
        String prefix = "fail-at-commit-" + UUID.randomUUID();
        installFailAtCommitTrigger(prefix);
        try {
            // Create: the INSERT passes, the COMMIT fails.
            String refusedName = prefix + "-insert";
            CompletionException create = assertThrows(CompletionException.class,
                    () -> await(sessions.create(spec(refusedName, null, null))));
            assertFalse(create.getCause() instanceof RejectedException, "a failed commit is no client error: " + create.getCause());
            assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> Session.count("name", refusedName)),
                    "nothing was committed");

            // Renew: the session exists; its UPDATE fails when committed.
            Session renewable = await(sessions.create(spec(prefix + "-update", null, null)));
            CompletionException renew = assertThrows(CompletionException.class,
                    () -> await(sessions.renew(renewable.id.toString())));
            assertFalse(renew.getCause() instanceof RejectedException, String.valueOf(renew.getCause()));
            Session unrenewed = QuarkusTransaction.requiringNew().call(() -> Session.<Session>findById(renewable.id));
            assertEquals(renewable.expiresAt, unrenewed.expiresAt, "the renewal was not committed");

            // Destroy: the DELETE (and the keys it releases) fail when committed.
            Session destroyable = await(sessions.create(spec(prefix + "-delete", null, null)));
            CompletionException destroy = assertThrows(CompletionException.class,
                    () -> await(sessions.destroy(destroyable.id.toString())));
            assertFalse(destroy.getCause() instanceof RejectedException, String.valueOf(destroy.getCause()));
            assertNotNull(QuarkusTransaction.requiringNew().call(() -> Session.<Session>findById(destroyable.id)),
                    "the session was not destroyed");
        } finally {
            dropFailAtCommitTrigger();
        }
        // The committers went on: the same paths work once the trigger is gone.
        Session after = await(sessions.create(spec(prefix + "-update", null, null)));
        assertEquals(after.id, await(sessions.renew(after.id.toString())).id);
        assertTrue(await(sessions.destroy(after.id.toString())));
    }

    /**
     * Fails, at COMMIT, every transaction that inserted, updated or deleted a session named
     * {@code prefix + "-insert"}, {@code "-update"} or {@code "-delete"} respectively.
     */
    private void installFailAtCommitTrigger(String prefix) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE OR REPLACE FUNCTION test_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                    DECLARE
                      row_name text := CASE WHEN TG_OP = 'DELETE' THEN OLD.name ELSE NEW.name END;
                    BEGIN
                      IF row_name = TG_ARGV[0] || '-' || lower(TG_OP) THEN
                        RAISE EXCEPTION 'test trigger: % of % refused at commit', TG_OP, row_name;
                      END IF;
                      RETURN NULL;
                    END $$""");
            statement.execute("DROP TRIGGER IF EXISTS test_fail_at_commit ON sessions");
            statement.execute("CREATE CONSTRAINT TRIGGER test_fail_at_commit AFTER INSERT OR UPDATE OR DELETE ON sessions "
                    + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_fail_at_commit('" + prefix + "')");
        }
    }

    private void dropFailAtCommitTrigger() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TRIGGER IF EXISTS test_fail_at_commit ON sessions");
            statement.execute("DROP FUNCTION IF EXISTS test_fail_at_commit()");
        }
    }

    @Test
    void aFailedBatchFailsItsRequestsButKeepsTheirOwnRejections() throws Exception {
        IllegalStateException databaseFailure = new IllegalStateException("the database went away");
        try (GroupCommit<Integer, Integer> commit = new GroupCommit<>("test", metrics, GroupCommit.Transactions.jdbc(dataSource), (batch, connection) -> {
            for (GroupCommit.Pending<Integer, Integer> pending : batch) {
                if (pending.request() % 2 == 0) {
                    pending.answer(pending.request());
                } else {
                    pending.reject(RejectedException.invalid("odd " + pending.request()));
                }
            }
            if (batch.stream().anyMatch(pending -> pending.request() == 4)) {
                throw databaseFailure;
            }
            return true;
        })) {
            List<CompletionStage<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(commit.submit(i));
            }
            for (int i = 0; i < answers.size(); i++) {
                CompletableFuture<Integer> answer = answers.get(i).toCompletableFuture();
                try {
                    // Only an even request in a batch without request 4 is committed and answered.
                    assertEquals(i, answer.get(30, TimeUnit.SECONDS));
                    assertTrue(i % 2 == 0 && i != 4, "request " + i + " was answered");
                } catch (ExecutionException e) {
                    if (i % 2 == 1) {
                        assertInstanceOf(RejectedException.class, e.getCause());
                        assertEquals("odd " + i, e.getCause().getMessage());
                    } else {
                        assertSame(databaseFailure, e.getCause(), "request " + i);
                    }
                }
            }
            assertTrue(answers.get(4).toCompletableFuture().isCompletedExceptionally());
        }
    }

    private static SessionSpec spec(String name, String node, List<String> checks) {
        return new SessionSpec(name, node, Session.DEFAULT_LOCK_DELAY_NS, "", "30s", null, null, checks, null, null);
    }

    private static <T> T await(CompletionStage<T> answer) {
        return answer.toCompletableFuture().orTimeout(ANSWER_LIMIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static void assertRejected(CompletionStage<?> answer, RejectedException.Reason reason, String text) {
        CompletionException failure = assertThrows(CompletionException.class, () -> await(answer));
        RejectedException rejected = assertInstanceOf(RejectedException.class, failure.getCause());
        assertEquals(reason, rejected.reason());
        assertTrue(rejected.getMessage().contains(text), rejected.getMessage());
    }
}
