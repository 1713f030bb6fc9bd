package io.sessiond.cli;

import io.sessiond.client.SessiondClient;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Blocking reads of what an {@link Exclusion} holds, one after the other on a daemon thread, completing
 * {@link #lost()} the moment a read shows it no longer held (its session was killed, or the key taken).
 * A failed read says nothing about the lock: the session's renewal decides whether it is lost then.
 */
final class LossWatch {

    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Api api;
    private final Exclusion exclusion;
    private final CompletableFuture<String> lost = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopped;

    LossWatch(Api api, Exclusion exclusion) {
        this.api = api;
        this.exclusion = exclusion;
        this.thread = new Thread(this::watch, "sessiond-lock-watch");
        thread.setDaemon(true);
    }

    LossWatch start() {
        thread.start();
        return this;
    }

    /** Completes with the reason when a read shows the lock lost. */
    CompletableFuture<String> lost() {
        return lost;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void watch() {
        long index = 0;
        String path = exclusion.watchPath();
        String separator = path.contains("?") ? "&" : "?";
        while (!stopped) {
            try {
                String query = Api.blocking(index, Exclusion.MAX_WAIT);
                SessiondClient.Response read = api.call("GET", path + (query.isEmpty() ? "" : separator + query), null,
                        index == 0 ? Duration.ZERO : Exclusion.MAX_WAIT);
                if (stopped) {
                    return;
                }
                if ((read.status() == 200 || read.status() == 404) && !exclusion.stillHeld(read)) {
                    lost.complete("sessiond no longer shows this session holding it");
                    return;
                }
                index = read.isSuccess() || read.status() == 404 ? read.index() : 0;
                if (!read.isSuccess() && read.status() != 404) {
                    Thread.sleep(RETRY.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (CliFailure noAnswer) {
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
