package io.sessiond.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A held lock: the key, the session holding it, and {@link #lost()}, which completes when the lock is no
 * longer held although it was not closed (its session died, or the key was released or taken behind the
 * holder's back). Closing releases the key and ends the session.
 */
public final class LockHandle implements AutoCloseable {

    /** The flag value Go's api.Lock writes, so that Consul tools recognise the key as a lock. */
    static final String LOCK_FLAG = "3304740253564472344";
    private static final long WATCH_RETRY_MS = 1000;

    private final SessiondClient client;
    private final String key;
    private final ClientSession session;
    private final CompletableFuture<Void> lost = new CompletableFuture<>();
    private volatile boolean closed;

    LockHandle(SessiondClient client, String key, ClientSession session, long acquiredIndex) {
        this.client = client;
        this.key = key;
        this.session = session;
        session.lost().whenComplete((ignored, cause) -> lost.completeExceptionally(cause));
        watch(acquiredIndex);
    }

    public String key() {
        return key;
    }

    public ClientSession session() {
        return session;
    }

    /** True while the lock is held: not closed and not lost. */
    public boolean isHeld() {
        return !closed && !lost.isDone();
    }

    /** Completes, exceptionally with the reason, when the lock is lost; never for a lock closed normally. */
    public CompletableFuture<Void> lost() {
        return lost;
    }

    /** Releases the key (if still held) and ends the session. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (session.state() == ClientSession.State.OPEN) {
                Http.await(client.http().send("PUT", SessiondClient.kvPath(key) + "?release=" + session.id()
                        + "&flags=" + LOCK_FLAG, ""));
            }
        } finally {
            session.close();
        }
    }

    /** Blocking reads of the key, one after the other, until it is no longer held by this session. */
    private void watch(long index) {
        client.readKey(key, index).whenComplete((read, failure) -> {
            if (closed || lost.isDone()) {
                return;
            }
            if (failure != null) {
                // A failed read says nothing about the lock (the session's renewal decides on loss): retry soon.
                client.scheduler().schedule(() -> watch(index), WATCH_RETRY_MS, TimeUnit.MILLISECONDS);
                return;
            }
            if (!session.id().equals(client.holder(read))) {
                lost.completeExceptionally(new SessionLostException("The lock on " + key + " is no longer held by session "
                        + session.id(), null));
                return;
            }
            watch(read.index());
        });
    }
}
