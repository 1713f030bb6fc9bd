package io.sessiond.client;

import io.sessiond.go.GoDuration;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A session on sessiond as this client holds it. Created sessions go NEW → OPEN (renewed in the background
 * while open) → CLOSED; attached sessions are ATTACHED (never renewed implicitly; {@link #extend()}
 * renews on demand). When the server says the session is gone, or renewal keeps failing until the
 * session's TTL has run out, it is LOST: renewal stops, {@link #lost()} completes, listeners are told,
 * and every later operation throws {@link SessionLostException}. It never fails silently.
 */
public final class ClientSession implements AutoCloseable {

    public enum State { NEW, OPEN, ATTACHED, CLOSED, LOST }

    private static final Duration FIRST_RETRY = Duration.ofMillis(100);

    private final SessiondClient client;
    private final SessionOptions options;
    private final boolean newSession;
    private final boolean destroyOnClose;
    private final CompletableFuture<Void> lost = new CompletableFuture<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    private volatile String id;
    private volatile State state;
    private boolean opening;
    private Instant lastRenewed;
    private Duration retryDelay = FIRST_RETRY;
    private ScheduledFuture<?> nextRenewal;
    private CompletableFuture<?> renewalInFlight = CompletableFuture.completedFuture(null);

    ClientSession(SessiondClient client, SessionOptions options, String id, State state, boolean newSession,
                  boolean destroyOnClose) {
        this.client = client;
        this.options = options;
        this.id = id;
        this.state = state;
        this.newSession = newSession;
        this.destroyOnClose = destroyOnClose;
    }

    /** Creates the lease on the server and starts renewing it. Only a NEW session can be opened. */
    public ClientSession open() {
        return Http.await(openAsync());
    }

    public CompletableFuture<ClientSession> openAsync() {
        synchronized (this) {
            if (state != State.NEW || opening) {
                throw new IllegalStateException("Session is " + (opening ? "opening" : state)
                        + ": open() creates a lease once; create a new session for another");
            }
            opening = true;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", options.name());
        body.put("TTL", options.ttl().toMillis() + "ms");
        body.put("LockDelay", options.lockDelay().toMillis() + "ms");
        body.put("Behavior", options.behavior().name().toLowerCase());
        return client.http().send("PUT", "v1/session/create", client.http().write(body))
                .whenComplete((answer, failure) -> {
                    synchronized (this) {
                        opening = false;
                    }
                })
                .thenApply(answer -> {
                    started(client.http().parse(answer.body()).path("ID").asText());
                    return this;
                });
    }

    /** A newly created lease (also by {@link SessiondClient#attachOrCreate}) becomes OPEN and is renewed. */
    void started(String createdId) {
        synchronized (this) {
            id = createdId;
            state = State.OPEN;
            lastRenewed = Instant.now();
            scheduleRenewal(options.renewInterval());
        }
    }

    /** Renews the session once and returns its TTL. For attached sessions, this is how they are kept alive. */
    public Duration extend() {
        return Http.await(extendAsync());
    }

    public CompletableFuture<Duration> extendAsync() {
        requireUsable();
        return renewRequest().thenApply(answer -> {
            synchronized (this) {
                lastRenewed = Instant.now();
            }
            return ttl(client.http().parse(answer.body()).path(0).path("TTL").asText(""));
        });
    }

    /** A session's TTL as sessiond reports it: a Go duration as its creator wrote it, or empty for none. */
    static Duration ttl(String reported) {
        return reported.isEmpty() ? Duration.ZERO : Duration.ofNanos(GoDuration.parse(reported));
    }

    /**
     * Stops renewing and ends the lease on the server (an attached session is only detached unless it was
     * attached with destroy-on-close). Idempotent; a lost session just closes.
     */
    @Override
    public void close() {
        Http.await(closeAsync());
    }

    public CompletableFuture<Void> closeAsync() {
        boolean destroy;
        CompletableFuture<?> inFlight;
        synchronized (this) {
            if (state == State.CLOSED) {
                return CompletableFuture.completedFuture(null);
            }
            destroy = state == State.OPEN || (state == State.ATTACHED && destroyOnClose);
            state = State.CLOSED;
            if (nextRenewal != null) {
                nextRenewal.cancel(false);
            }
            inFlight = renewalInFlight;
        }
        if (!destroy) {
            return CompletableFuture.completedFuture(null);
        }
        // A renewal already sent is waited for, so that it cannot land after the destroy.
        return inFlight.handle((ignored, failure) -> null)
                .thenCompose(ignored -> client.http().send("PUT", "v1/session/destroy/" + id, null))
                .thenApply(answer -> null);
    }

    public String id() {
        return id;
    }

    public State state() {
        return state;
    }

    /** True when {@link SessiondClient#attachOrCreate} had to create a new lease because the old one was gone. */
    public boolean isNewSession() {
        return newSession;
    }

    /** Completes when the session is lost (never completes for a session that is closed normally). */
    public CompletableFuture<Void> lost() {
        return lost;
    }

    /** Registers a listener told once when the session is lost; one registered after the loss is told at once. */
    public ClientSession onLost(SessionListener listener) {
        listeners.add(listener);
        lost.whenComplete((ignored, cause) -> {
            if (listeners.remove(listener)) {
                listener.onLost(id, cause);
            }
        });
        return this;
    }

    void requireUsable() {
        State current = state;
        if (current == State.LOST) {
            throw new SessionLostException("Session " + id + " is lost", lost.handle((ignored, cause) -> cause).getNow(null));
        }
        if (current == State.NEW || current == State.CLOSED) {
            throw new IllegalStateException("Session is " + current + ": open or attach it first");
        }
    }

    private CompletableFuture<Http.Answer> renewRequest() {
        return client.http().send("PUT", "v1/session/renew/" + id, null);
    }

    private void scheduleRenewal(Duration delay) {
        nextRenewal = client.scheduler().schedule(this::renew, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One renewal. On success the next is scheduled a renew interval later; a transient failure (no answer,
     * 5xx, 429) is retried with growing pauses while the session's TTL since the last renewal has not run
     * out; a 404 (or running out of time) loses the session.
     */
    private void renew() {
        CompletableFuture<Http.Answer> request;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            request = renewRequest();
            renewalInFlight = request;
        }
        request.whenComplete((answer, failure) -> {
            synchronized (this) {
                if (state != State.OPEN) {
                    return;
                }
                if (failure == null) {
                    lastRenewed = Instant.now();
                    retryDelay = FIRST_RETRY;
                    scheduleRenewal(options.renewInterval());
                    return;
                }
                SessiondException error = failure.getCause() instanceof SessiondException cause ? cause
                        : failure instanceof SessiondException direct ? direct
                        : new SessiondException(0, failure.toString(), failure);
                Instant deadline = lastRenewed.plus(options.ttl());
                if (error.isTransient() && Instant.now().plus(retryDelay).isBefore(deadline)) {
                    scheduleRenewal(retryDelay);
                    retryDelay = retryDelay.multipliedBy(2).compareTo(options.renewInterval()) < 0
                            ? retryDelay.multipliedBy(2) : options.renewInterval();
                    return;
                }
                state = State.LOST;
            }
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            lost.completeExceptionally(new SessionLostException("Session " + id + " was lost: " + cause.getMessage(), cause));
        });
    }
}
