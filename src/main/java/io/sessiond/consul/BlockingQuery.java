package io.sessiond.consul;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sessiond.RejectedException;
import io.sessiond.index.ChangeListener;
import io.sessiond.index.Table;
import io.sessiond.session.GoDuration;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Consul's blocking queries: with {@code ?index=N} a read answers as soon as what it covers has changed
 * past N, or when its wait runs out, with whatever is current then. While it waits it holds neither a
 * thread nor a database connection: it is a future woken by {@link ChangeListener}.
 */
@ApplicationScoped
public class BlockingQuery {

    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    /** Consul spreads the wake-ups of many waiters by up to wait/16. */
    private static final int JITTER_FRACTION = 16;

    /**
     * One evaluation of a read.
     *
     * @param response   the complete answer, headers included
     * @param index      the index the answer reports; the query returns once it exceeds the client's
     * @param tableIndex the index of the table read, taken before the data: a change past it may change the answer
     */
    public record Result(Response response, long index, long tableIndex) {
    }

    private final ChangeListener changes;

    public BlockingQuery(ChangeListener changes) {
        this.changes = changes;
    }

    /**
     * Answers {@code read} now, or once its answer changed past {@code ?index}, or when the wait runs out.
     * Each evaluation runs in a transaction of its own, on whichever worker thread woke it.
     */
    public Uni<Response> answer(UriInfo uri, Table table, Supplier<Result> read) {
        return respond(uri, table, () -> QuarkusTransaction.joiningExisting().call(read::get));
    }

    /**
     * {@link #answer} for a read that is one SQL statement, which is atomic by itself and needs no
     * transaction: without one it costs one round trip to the database instead of two (statement, commit).
     */
    public Uni<Response> answerSingleStatement(UriInfo uri, Table table, Supplier<Result> read) {
        return respond(uri, table, read);
    }

    /** {@code evaluate} is the read in the transaction it needs. */
    private Uni<Response> respond(UriInfo uri, Table table, Supplier<Result> evaluate) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        long minIndex = index(query);
        Duration wait = waitTime(query);
        requireConsistentModes(query);
        Result first = evaluate.get();
        if (minIndex == 0 || first.index() > minIndex) {
            return Uni.createFrom().item(first.response());
        }
        long deadline = System.nanoTime() + wait.toNanos()
                + ThreadLocalRandom.current().nextLong(wait.toNanos() / JITTER_FRACTION + 1);
        return awaitChange(table, evaluate, minIndex, first, deadline).map(Result::response);
    }

    private Uni<Result> awaitChange(Table table, Supplier<Result> evaluate, long minIndex, Result last, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return Uni.createFrom().item(last);
        }
        return Uni.createFrom().completionStage(() -> changes.changeAfter(table, last.tableIndex()))
                .ifNoItem().after(Duration.ofNanos(remaining)).recoverWithItem(() -> null)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(changed -> {
                    Result next = evaluate.get();
                    return changed == null || next.index() > minIndex
                            ? Uni.createFrom().item(next)
                            : awaitChange(table, evaluate, minIndex, next, deadline);
                });
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
