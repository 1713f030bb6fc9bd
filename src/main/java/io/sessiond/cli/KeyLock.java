package io.sessiond.cli;

import io.sessiond.client.SessiondClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * A lock on one key, Consul's lock recipe (Go {@code api.Lock}): wait with blocking reads while another
 * session holds the key, then {@code ?acquire}; an acquire refused with the key free means the previous
 * holder's lock-delay runs, so it is retried after a pause. As in Go, only a missing key or a lock's
 * (Go's lock flags) is taken, so that data is never overwritten, and the key is deleted on release.
 */
record KeyLock(Api api, String key, String session, String value) implements Exclusion {

    /** The flags Go's api.Lock writes, so that Consul tools recognise the key as a lock. */
    static final String FLAGS = "3304740253564472344";
    private static final Duration LOCK_DELAY_RETRY = Duration.ofSeconds(1);

    @Override
    public OptionalLong acquire(Instant deadline) throws InterruptedException {
        long index = 0;
        while (true) {
            if (Exclusion.passed(deadline)) {
                return OptionalLong.empty();
            }
            SessiondClient.Response read = read(index, Exclusion.waitBefore(deadline));
            KvPair pair = pair(read);
            // Go's ErrLockConflict: a key written for something else (data, or a semaphore) is not taken over.
            if (pair != null && !pair.flags().equals(FLAGS)) {
                throw CliFailure.failed("Existing key does not match lock use: " + key + " has flags " + pair.flags()
                        + ", not a lock's " + FLAGS + "; lock another key");
            }
            if (pair != null && pair.isHeld() && !pair.session().equals(session)) {
                index = read.index();
                continue;
            }
            SessiondClient.Response acquired = api.require("acquiring " + key, "PUT",
                    Api.kvPath(key) + "?acquire=" + session + "&flags=" + FLAGS, value);
            if (Boolean.parseBoolean(acquired.body().strip())) {
                KvPair taken = pair(read(0, Duration.ZERO));
                if (taken != null && taken.session().equals(session)) {
                    return OptionalLong.of(taken.modifyIndex());
                }
            } else if (pair == null || !pair.isHeld()) {
                Duration pause = deadline == null || Exclusion.waitBefore(deadline).compareTo(LOCK_DELAY_RETRY) > 0
                        ? LOCK_DELAY_RETRY : Exclusion.waitBefore(deadline);
                Thread.sleep(Math.max(0, pause.toMillis()));
            }
            index = 0;
        }
    }

    @Override
    public String watchPath() {
        return Api.kvPath(key);
    }

    @Override
    public boolean stillHeld(SessiondClient.Response read) {
        KvPair pair = read.status() == 200 ? pair(read) : null;
        return pair != null && pair.session().equals(session);
    }

    @Override
    public void release() throws InterruptedException {
        api.call("PUT", Api.kvPath(key) + "?release=" + session + "&flags=" + FLAGS, value);
        // Go's Lock.Destroy: the key goes when no one holds it (check-and-set, so a new holder keeps it).
        KvPair left = pair(read(0, Duration.ZERO));
        if (left != null && !left.isHeld() && left.flags().equals(FLAGS)) {
            api.call("DELETE", Api.kvPath(key) + "?cas=" + left.modifyIndex(), null);
        }
    }

    private SessiondClient.Response read(long index, Duration wait) throws InterruptedException {
        String query = Api.blocking(index, wait);
        SessiondClient.Response read = api.call("GET", Api.kvPath(key) + (query.isEmpty() ? "" : "?" + query), null,
                index == 0 ? Duration.ZERO : wait);
        if (read.status() != 200 && read.status() != 404) {
            throw CliFailure.failed("reading " + key + ": " + Api.errorText(read));
        }
        return read;
    }

    private static KvPair pair(SessiondClient.Response read) {
        if (read.status() == 404) {
            return null;
        }
        List<KvPair> pairs = KvPair.list(read.body());
        return pairs.isEmpty() ? null : pairs.get(0);
    }
}
