package io.sessiond.cli;

import io.sessiond.client.SessiondClient;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/** What {@code sessiond lock} holds for its child: a lock on a key, or a slot of a semaphore. */
interface Exclusion {

    /** How long one blocking read waits at most; a --timeout shortens it. */
    Duration MAX_WAIT = Duration.ofSeconds(15);

    /**
     * Waits until held, or until {@code deadline} (null: no deadline). Returns the fencing token (the lock
     * key's ModifyIndex when it was taken), or empty when the deadline passed first.
     */
    OptionalLong acquire(Instant deadline) throws InterruptedException;

    /** The read, blocking past an index, that shows whether it is still held. */
    String watchPath();

    /** Whether {@code read}, an answer of {@link #watchPath()}, shows it still held. */
    boolean stillHeld(SessiondClient.Response read);

    /** Gives it up, and removes the keys it leaves unused (as Consul's {@code lock} does on exit). */
    void release() throws InterruptedException;

    /** How long the next blocking read may wait before {@code deadline}: never past it, never over MAX_WAIT. */
    static Duration waitBefore(Instant deadline) {
        if (deadline == null) {
            return MAX_WAIT;
        }
        Duration left = Duration.between(Instant.now(), deadline);
        return left.compareTo(MAX_WAIT) < 0 ? left : MAX_WAIT;
    }

    static boolean passed(Instant deadline) {
        return deadline != null && !Instant.now().isBefore(deadline);
    }
}
