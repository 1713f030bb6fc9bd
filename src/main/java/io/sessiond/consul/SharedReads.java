package io.sessiond.consul;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One database read for all the queries that would read the same thing after the same change: when a
 * change wakes thousands of waiters of one key, the first of them starts the read, on a worker thread, and
 * the others take its result; thousands of queries arriving at once share reads the same way. The shared
 * read must not depend on the caller (ACL filtering is applied per caller afterwards, see
 * {@link BlockingQuery}).
 *
 * <p>A read started after change {@code C} was announced sees {@code C} (the notification follows the
 * commit), so it may answer every waiter woken by {@code C} or an earlier change, never one woken by a
 * newer change. The latest read of an identity is kept as long as queries of that identity are under way.
 */
@ApplicationScoped
class SharedReads {

    private final ConcurrentHashMap<Object, Readers> readers = new ConcurrentHashMap<>();
    private final LongAdder reads = new LongAdder();

    /** A read started once change {@code covers} was known to be committed (0 for a read of arriving queries). */
    private record Evaluation(long covers, CompletableFuture<Object> result) {
    }

    /** The queries under way of one identity (equal identities read the same rows), and its reads. */
    final class Readers {
        private final Object identity;
        /** Changed only in {@link ConcurrentHashMap#compute}, which orders the changes of one key. */
        private int queries;
        /** The latest read for woken waiters. */
        private Evaluation latest;
        /** A read for newly arrived queries that has not started yet: whoever arrives now may still join it. */
        private Evaluation pending;

        private Readers(Object identity) {
            this.identity = identity;
        }

        /**
         * The result of {@code read} in a transaction that starts after this call: a read of the identity
         * that has not started yet, or a new one. What a read already under way returns may predate the
         * caller's own last write, so it is not shared with callers that came after it started.
         */
        @SuppressWarnings("unchecked")
        synchronized <T> CompletableFuture<T> fresh(Supplier<T> read) {
            if (pending == null) {
                Evaluation queued = new Evaluation(0, new CompletableFuture<>());
                pending = queued;
                start(queued, () -> {
                    started(queued);
                    return read.get();
                });
            }
            return (CompletableFuture<T>) pending.result();
        }

        /**
         * The result of {@code read} in a transaction that started after change {@code change} committed:
         * the latest read, if it started after that change, or a new one.
         */
        @SuppressWarnings("unchecked")
        synchronized <T> CompletableFuture<T> after(long change, Supplier<T> read) {
            if (latest == null || latest.covers() < change) {
                Evaluation started = new Evaluation(change, new CompletableFuture<>());
                latest = started;
                start(started, read);
            }
            return (CompletableFuture<T>) latest.result();
        }

        /** Runs {@code read} on a worker thread, never on the caller's: waking waiters must not wait for reads. */
        private void start(Evaluation evaluation, Supplier<?> read) {
            reads.increment();
            CompletableFuture.supplyAsync(read, Infrastructure.getDefaultWorkerPool()).whenComplete((value, failure) -> {
                if (failure != null) {
                    forget(evaluation);
                    evaluation.result().completeExceptionally(
                            failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
                } else {
                    evaluation.result().complete(value);
                }
            });
        }

        private synchronized void started(Evaluation queued) {
            if (pending == queued) {
                pending = null;
            }
        }

        /** A failed read is not shared with the waiters woken later: they try again. */
        private synchronized void forget(Evaluation failed) {
            if (latest == failed) {
                latest = null;
            }
        }

        /** The query is answered or gone; the last one to leave drops the identity and its latest read. */
        void leave() {
            readers.computeIfPresent(identity, (key, current) -> --current.queries == 0 ? null : current);
        }
    }

    /** Registers a query of {@code identity}; it must {@link Readers#leave} once answered or gone. */
    Readers join(Object identity) {
        return readers.compute(identity, (key, current) -> {
            Readers joined = current == null ? new Readers(key) : current;
            joined.queries++;
            return joined;
        });
    }

    /** How many database reads blocking queries started since startup. */
    long reads() {
        return reads.sum();
    }
}
