package io.sessiond.cli;

import io.sessiond.client.SessiondClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * A slot of a semaphore of {@code limit} holders under a prefix: Consul's semaphore recipe
 * ({@link SemaphoreState}), so that {@code sessiond lock -n}, {@code consul lock -n} and Go's
 * {@code api.Semaphore} share one semaphore.
 */
record SemaphoreSlot(Api api, String prefix, int limit, String session, String value) implements Exclusion {

    @Override
    public OptionalLong acquire(Instant deadline) throws InterruptedException {
        String contender = SemaphoreState.contenderKey(prefix, session);
        SessiondClient.Response made = api.require("making the contender key " + contender, "PUT",
                Api.kvPath(contender) + "?acquire=" + session + "&flags=" + SemaphoreState.FLAGS, value);
        if (!Boolean.parseBoolean(made.body().strip())) {
            throw CliFailure.failed("failed to make the contender key " + contender);
        }
        long index = 0;
        while (true) {
            if (Exclusion.passed(deadline)) {
                return OptionalLong.empty();
            }
            SessiondClient.Response listing = list(index, Exclusion.waitBefore(deadline));
            List<KvPair> pairs = pairs(listing);
            KvPair lock = SemaphoreState.findLock(pairs, prefix);
            SemaphoreState state = SemaphoreState.decode(lock, limit).pruned(pairs);
            if (state.isFull()) {
                index = listing.index();
                continue;
            }
            SessiondClient.Response set = api.require("updating " + SemaphoreState.lockKey(prefix), "PUT", lockPath()
                    + "?cas=" + (lock == null ? 0 : lock.modifyIndex()) + "&flags=" + SemaphoreState.FLAGS,
                    state.with(session).encode());
            index = 0;
            if (Boolean.parseBoolean(set.body().strip())) {
                KvPair written = SemaphoreState.findLock(pairs(list(0, Duration.ZERO)), prefix);
                return OptionalLong.of(written == null ? 0 : written.modifyIndex());
            }
        }
    }

    @Override
    public String watchPath() {
        return Api.kvPath(prefix) + "?recurse";
    }

    /** Go's monitorLock: held while the pruned .lock record names this session. */
    @Override
    public boolean stillHeld(SessiondClient.Response read) {
        List<KvPair> pairs = read.status() == 200 ? KvPair.list(read.body()) : List.of();
        KvPair lock = SemaphoreState.findLock(pairs, prefix);
        try {
            return lock != null && SemaphoreState.decode(lock, limit).pruned(pairs).holds(session);
        } catch (CliFailure unreadable) {
            return false;
        }
    }

    /** Go's Release and Destroy: leave the record (check-and-set), delete the contender key, and the record if unused. */
    @Override
    public void release() throws InterruptedException {
        while (true) {
            List<KvPair> pairs = pairs(list(0, Duration.ZERO));
            KvPair lock = SemaphoreState.findLock(pairs, prefix);
            if (lock == null) {
                break;
            }
            SemaphoreState state = SemaphoreState.decode(lock, limit);
            if (!state.holds(session)) {
                break;
            }
            SessiondClient.Response set = api.call("PUT", lockPath() + "?cas=" + lock.modifyIndex() + "&flags="
                    + SemaphoreState.FLAGS, state.without(session).encode());
            if (!set.isSuccess() || Boolean.parseBoolean(set.body().strip())) {
                break;
            }
        }
        api.call("DELETE", Api.kvPath(SemaphoreState.contenderKey(prefix, session)), null);
        List<KvPair> pairs = pairs(list(0, Duration.ZERO));
        KvPair lock = SemaphoreState.findLock(pairs, prefix);
        if (lock != null && lock.flags().equals(SemaphoreState.FLAGS)
                && SemaphoreState.decode(lock, limit).pruned(pairs).holders().isEmpty()) {
            api.call("DELETE", lockPath() + "?cas=" + lock.modifyIndex(), null);
        }
    }

    private String lockPath() {
        return Api.kvPath(SemaphoreState.lockKey(prefix));
    }

    private SessiondClient.Response list(long index, Duration wait) throws InterruptedException {
        String query = Api.blocking(index, wait);
        SessiondClient.Response listing = api.call("GET", Api.kvPath(prefix) + "?recurse" + (query.isEmpty() ? "" : "&" + query),
                null, index == 0 ? Duration.ZERO : wait);
        if (listing.status() != 200 && listing.status() != 404) {
            throw CliFailure.failed("reading " + prefix + ": " + Api.errorText(listing));
        }
        return listing;
    }

    private static List<KvPair> pairs(SessiondClient.Response listing) {
        return listing.status() == 404 ? List.of() : KvPair.list(listing.body());
    }
}
