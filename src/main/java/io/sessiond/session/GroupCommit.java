package io.sessiond.session;

import io.sessiond.metrics.SessiondMetrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit: concurrent requests of one kind are written by one transaction with one commit, the way
 * etcd batches its proposals. Writers of the sessions table run one after the other anyway (each takes
 * the table's change-index row lock until it commits), so one round trip and one disk sync per request
 * would cap throughput at one request per commit; a batch pays them once for all its requests.
 *
 * <p>Up to {@link #IN_FLIGHT} committer threads each write one batch at a time: whatever is queued when
 * one is free (up to {@link #MAX_BATCH}). No timer holds a request back: a lone request is written at
 * once. With two in flight, the next batch is already on its way (its statements sent, for creates and
 * destroys waiting on the change-index row lock) while the previous one waits for its commit's disk sync,
 * so the database is not idle between batches; more would only split the batches further.
 *
 * <p>A batch is written with plain JDBC on one connection (prepared statements, which the driver keeps
 * prepared on that connection across batches): Hibernate would add a session, query translation and
 * entity handling per batch and nothing a batch needs.
 *
 * <p>Each request's answer is given only after its batch committed. The batch writer records a rejection
 * (4xx) for a request it refuses without failing the others, and says whether the batch changed anything:
 * if not, it is rolled back, so that an index it took is never seen. If the transaction fails, every
 * request of the batch not already rejected fails with that error.
 *
 * @param <Q> what a request asks for
 * @param <A> its answer
 */
final class GroupCommit<Q, A> implements AutoCloseable {

    /** Bounds the arrays sent in one statement and the work one transaction holds its locks for. */
    static final int MAX_BATCH = 1000;

    /** Batches written at the same time, each by a committer thread on a connection of its own. */
    static final int IN_FLIGHT = 2;

    /**
     * Appended to the last statement of a batch that will commit whatever it returns (a plain JDBC
     * transaction): the commit then travels in that statement's round trip, and the runner's own commit
     * finds the transaction ended and sends nothing. If the statement fails, the commit is not run and the
     * runner rolls back.
     */
    static final String AND_COMMIT = "; COMMIT";

    /** One request of a batch: the batch writer answers or rejects it; the caller learns it after the commit. */
    static final class Pending<Q, A> {
        private final Q request;
        private final CompletableFuture<A> outcome = new CompletableFuture<>();
        private final long submittedAt = System.nanoTime();
        private A answer;
        private RuntimeException rejection;

        private Pending(Q request) {
            this.request = request;
        }

        Q request() {
            return request;
        }

        void answer(A value) {
            answer = value;
        }

        void reject(RuntimeException why) {
            rejection = why;
        }

        private void settle() {
            if (rejection != null) {
                outcome.completeExceptionally(rejection);
            } else {
                outcome.complete(answer);
            }
        }

        private void fail(Throwable error) {
            outcome.completeExceptionally(rejection != null ? rejection : error);
        }
    }

    private final ConcurrentLinkedQueue<Pending<Q, A>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainers = new AtomicInteger();
    private final ExecutorService committer;
    private final String name;
    private final SessiondMetrics metrics;
    private final BatchWriter<Q, A> writeBatch;
    private final Transactions transactions;

    /** Writes a batch in its transaction, on {@code connection}, answering or rejecting every request of it. */
    @FunctionalInterface
    interface BatchWriter<Q, A> {
        /** @return whether anything was written: false rolls the transaction back */
        boolean write(List<Pending<Q, A>> batch, Connection connection) throws SQLException;
    }

    /** Runs one batch's transaction: gives the writer its connection, then commits or rolls back. */
    @FunctionalInterface
    interface Transactions {
        /** Runs {@code work} in a new transaction; commits it if {@code work} returned true, else rolls it back. */
        void run(Work work) throws Exception;

        /** A batch's statements on the transaction's connection; true when something was written. */
        @FunctionalInterface
        interface Work {
            boolean write(Connection connection) throws SQLException;
        }

        /** A JDBC transaction on a connection of {@code dataSource} (auto-commit off), and nothing else. */
        static Transactions jdbc(DataSource dataSource) {
            return work -> {
                try (Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    try {
                        if (work.write(connection)) {
                            connection.commit();
                        } else {
                            connection.rollback();
                        }
                    } catch (Throwable e) {
                        connection.rollback();
                        throw e;
                    } finally {
                        connection.setAutoCommit(true);
                    }
                }
            };
        }

        /**
         * For a writer that sends exactly one statement: on a connection of {@code dataSource} in auto-commit
         * mode, the statement is its own transaction, committed by PostgreSQL as it completes, in the same
         * round trip (no BEGIN, no separate COMMIT). What the writer returns does not matter: a statement
         * that changed nothing has nothing to commit.
         */
        static Transactions singleStatement(DataSource dataSource) {
            return work -> {
                try (Connection connection = dataSource.getConnection()) {
                    work.write(connection);
                }
            };
        }
    }

    /** {@code transactions} runs the batches' transactions (on the committer thread, which has no request scope). */
    GroupCommit(String name, SessiondMetrics metrics, Transactions transactions, BatchWriter<Q, A> writeBatch) {
        this.name = name;
        this.metrics = metrics;
        this.transactions = transactions;
        this.writeBatch = writeBatch;
        this.committer = Executors.newFixedThreadPool(IN_FLIGHT, task -> {
            Thread thread = new Thread(task, "sessiond-group-commit-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Queues {@code request}; completes with its answer once its batch committed. Called on a Vert.x
     * thread (an HTTP request), it completes back on that thread's context, so that what follows (the
     * response's JSON) runs there and not on the committer thread, which must stay free for the next batch.
     */
    CompletionStage<A> submit(Q request) {
        Pending<Q, A> pending = new Pending<>(request);
        queue.add(pending);
        startDrainer();
        Context caller = Vertx.currentContext();
        if (caller == null) {
            return pending.outcome;
        }
        CompletableFuture<A> onCaller = new CompletableFuture<>();
        pending.outcome.whenComplete((value, error) -> caller.runOnContext(ignored -> {
            if (error != null) {
                onCaller.completeExceptionally(error);
            } else {
                onCaller.complete(value);
            }
        }));
        return onCaller;
    }

    private void startDrainer() {
        int running;
        while ((running = drainers.get()) < IN_FLIGHT) {
            if (drainers.compareAndSet(running, running + 1)) {
                committer.execute(this::drain);
                return;
            }
        }
    }

    private void drain() {
        List<Pending<Q, A>> batch;
        while (!(batch = nextBatch()).isEmpty()) {
            commit(batch);
        }
        drainers.decrementAndGet();
        // A request queued after the last poll, while every drainer was still counted, started none.
        if (!queue.isEmpty()) {
            startDrainer();
        }
    }

    private List<Pending<Q, A>> nextBatch() {
        List<Pending<Q, A>> batch = new ArrayList<>();
        Pending<Q, A> next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batch.add(next);
        }
        return batch;
    }

    private void commit(List<Pending<Q, A>> batch) {
        try {
            transactions.run(connection -> writeBatch.write(batch, connection));
        } catch (Throwable e) {
            // Even an Error must not leave callers waiting forever; the thread goes on with the next batch.
            batch.forEach(pending -> pending.fail(e));
            return;
        }
        batch.forEach(Pending::settle);
        metrics.groupCommitBatch(name, batch.size());
        batch.stream().filter(pending -> pending.rejection == null)
                .forEach(pending -> metrics.sessionWrite(name, System.nanoTime() - pending.submittedAt));
    }

    @Override
    public void close() {
        committer.shutdown();
        try {
            committer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
