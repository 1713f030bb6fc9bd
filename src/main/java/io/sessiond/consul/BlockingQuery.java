package io.sessiond.consul;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sessiond.RejectedException;
import io.sessiond.acl.Caller;
import io.sessiond.go.GoDuration;
import io.sessiond.index.DatabaseUnreachable;
import io.sessiond.index.ChangeListener;
import io.sessiond.index.Table;
import io.sessiond.metrics.SessiondMetrics;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Consul's blocking queries: with {@code ?index=N} a read answers as soon as what it covers has changed
 * past N, or when its wait runs out, with whatever is current then. While it waits it holds neither a
 * thread nor a database connection: it is a future woken by {@link ChangeListener}.
 *
 * <p>A read is two steps: the database read, which does not depend on the caller, and the answer the
 * caller gets from it (ACL filtering by the caller's token, headers, body). When a change wakes many
 * waiters of the same read, the database read runs once for all of them ({@link SharedReads}) and each
 * waiter makes its own answer from it; the write that woke them does not queue behind thousands of reads.
 */
@ApplicationScoped
public class BlockingQuery {

    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    /** Consul spreads the wake-ups of many waiters by up to wait/16. */
    private static final int JITTER_FRACTION = 16;
    /** Query parameters that change how a read waits or who asks, not what it reads. */
    private static final Set<String> NOT_PART_OF_THE_READ = Set.of("index", "wait", Caller.TOKEN_PARAMETER);
    /** What {@link #stopping} completes with: no change index is negative. */
    private static final long STOPPING = -1;

    /**
     * One evaluation of a read, as one caller gets it.
     *
     * @param response   the complete answer, headers included
     * @param index      the index the answer reports; the query returns once it exceeds the client's
     * @param tableIndex the index of the table read, taken before the data: a change past it may change the answer
     */
    public record Result(Response response, long index, long tableIndex) {
    }

    /** What a database read found, with the index of its table taken before it. */
    public record Indexed<T>(long index, T value) {
    }

    /** The same identity reads the same rows: the table, the path and the query but for its waiting and token. */
    private record ReadIdentity(Table table, String path, Map<String, List<String>> query) {
    }

    private final ChangeListener changes;
    private final SharedReads sharedReads;
    private final AtomicInteger parked = new AtomicInteger();
    private final SessiondMetrics metrics;
    /** Completed when the instance begins to shut down: every parked query then answers what is current. */
    private final CompletableFuture<Long> stopping = new CompletableFuture<>();

    public BlockingQuery(ChangeListener changes, SharedReads sharedReads, SessiondMetrics metrics) {
        this.changes = changes;
        this.sharedReads = sharedReads;
        this.metrics = metrics;
        metrics.parkedQueries(parked::get);
    }

    /**
     * At the start of a graceful shutdown, before the HTTP server waits for the requests in flight: every
     * parked query answers with the current state, as at the end of its wait (Consul's behavior), and a
     * query that comes later answers at once, instead of being cut when the server stops.
     */
    void answerParkedQueries(@Observes ShutdownDelayInitiatedEvent shutdown) {
        stopping.complete(STOPPING);
    }

    /**
     * Answers now, or once the answer changed past {@code ?index}, or when the wait runs out. {@code read}
     * (in a transaction of its own) must depend only on the request's path and query, never on the caller:
     * waiters of the same read share its result; {@code answer} makes each caller's answer from it.
     */
    public <T> Uni<Response> answer(UriInfo uri, Table table, Supplier<T> read, Function<T, Result> answer) {
        return respond(uri, table, () -> QuarkusTransaction.joiningExisting().call(read::get), answer);
    }

    /**
     * {@link #answer} for a read that is one SQL statement, which is atomic by itself and needs no
     * transaction: without one it costs one round trip to the database instead of two (statement, commit).
     */
    public <T> Uni<Response> answerSingleStatement(UriInfo uri, Table table, Supplier<T> read, Function<T, Result> answer) {
        return respond(uri, table, read, answer);
    }

    /** {@code read} is the database read in the transaction it needs. */
    private <T> Uni<Response> respond(UriInfo uri, Table table, Supplier<T> read, Function<T, Result> answer) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        long minIndex = index(query);
        Duration wait = waitTime(query);
        requireConsistentModes(query);
        long deadline = System.nanoTime() + wait.toNanos()
                + ThreadLocalRandom.current().nextLong(wait.toNanos() / JITTER_FRACTION + 1);
        ReadIdentity identity = identity(uri, table, query);
        return Uni.createFrom().deferred(() -> {
            SharedReads.Readers readers = sharedReads.join(identity);
            return Uni.createFrom().completionStage(() -> readers.fresh(read).thenApply(answer))
                    .flatMap(first -> minIndex == 0 || first.index() > minIndex || stopping.isDone() ? Uni.createFrom().item(first)
                            : park(new Waiter<>(table, readers, read, answer, minIndex, deadline), first))
                    .onTermination().invoke(readers::leave);
        }).map(Result::response);
    }

    private Uni<Result> park(Waiter<?> waiter, Result first) {
        return Uni.createFrom().deferred(() -> {
            parked.incrementAndGet();
            return waiter.awaitChange(first).onTermination().invoke(parked::decrementAndGet);
        });
    }

    /** How many blocking queries wait for a change now. */
    int parked() {
        return parked.get();
    }

    /** One parked query: what it reads, how it answers, and until when it waits. */
    private final class Waiter<T> {
        private final Table table;
        private final SharedReads.Readers readers;
        private final Supplier<T> read;
        private final Function<T, Result> answer;
        private final long minIndex;
        private final long deadline;

        Waiter(Table table, SharedReads.Readers readers, Supplier<T> read, Function<T, Result> answer, long minIndex,
               long deadline) {
            this.table = table;
            this.readers = readers;
            this.read = read;
            this.answer = answer;
            this.minIndex = minIndex;
            this.deadline = deadline;
        }

        Uni<Result> awaitChange(Result last) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return Uni.createFrom().item(last);
            }
            return Uni.createFrom().completionStage(() -> changes.changeAfter(table, last.tableIndex())
                            .applyToEither(stopping, change -> change)
                            .thenCompose(change -> change == STOPPING ? CompletableFuture.<Result>completedFuture(null)
                                    : wokenBy(change)))
                    .ifNoItem().after(timerDelay(remaining)).recoverWithItem(() -> null)
                    .flatMap(next -> {
                        if (next == null) {
                            // The wait ran out, or the instance is stopping: the answer is whatever is current now,
                            // or, while the database cannot be reached, the last state it read (Consul answers a wait
                            // that ran out without a leader from what it has).
                            return Uni.createFrom().item(() -> answer.apply(read.get()))
                                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                                    .onFailure(failure -> DatabaseUnreachable.cause(failure).isPresent())
                                    .recoverWithItem(last);
                        }
                        return next.index() > minIndex ? Uni.createFrom().item(next) : awaitChange(next);
                    });
        }

        /** The answer after {@code change}, timed from the wake-up to the answer. */
        private CompletableFuture<Result> wokenBy(long change) {
            long woke = System.nanoTime();
            return readers.after(change, read).thenApply(answer)
                    .whenComplete((result, error) -> metrics.wokeUp(System.nanoTime() - woke)).toCompletableFuture();
        }
    }

    /**
     * The time left, rounded up to whole milliseconds: the timer behind {@code ifNoItem} counts milliseconds,
     * and one asked for less than one (0 ms) never fired, so a wait with under a millisecond left never ended.
     */
    private static Duration timerDelay(long remainingNanos) {
        return Duration.ofMillis(Math.max(1, (remainingNanos + 999_999) / 1_000_000));
    }

    private static ReadIdentity identity(UriInfo uri, Table table, MultivaluedMap<String, String> query) {
        Map<String, List<String>> read = new HashMap<>(query);
        read.keySet().removeAll(NOT_PART_OF_THE_READ);
        return new ReadIdentity(table, uri.getPath(), read);
    }

    private static long index(MultivaluedMap<String, String> query) {
        String value = query.getFirst("index");
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw RejectedException.invalid("Invalid index");
        }
    }

    private static Duration waitTime(MultivaluedMap<String, String> query) {
        String value = query.getFirst("wait");
        if (value == null || value.isEmpty()) {
            return DEFAULT_WAIT;
        }
        long nanos;
        try {
            nanos = GoDuration.parse(value);
        } catch (GoDuration.InvalidDurationException e) {
            throw RejectedException.invalid("Invalid wait time");
        }
        if (nanos <= 0) {
            return DEFAULT_WAIT;
        }
        return nanos > MAX_WAIT.toNanos() ? MAX_WAIT : Duration.ofNanos(nanos);
    }

    private static void requireConsistentModes(MultivaluedMap<String, String> query) {
        if (query.containsKey("stale") && query.containsKey("consistent")) {
            throw RejectedException.invalid("Cannot specify ?stale with ?consistent, conflicting semantics.");
        }
        String maxStale = query.getFirst("max_stale");
        if (maxStale != null && !maxStale.isEmpty()) {
            try {
                GoDuration.parse(maxStale);
            } catch (GoDuration.InvalidDurationException e) {
                throw RejectedException.invalid("Invalid max_stale value " + GoDuration.quote(maxStale));
            }
        }
    }
}
