package io.sessiond.testsupport;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocking queries sent at once by a test: waiting until the server parked them, then for their answers. */
public final class ParkedQueries {

    private ParkedQueries() {
    }

    /** Until {@code waiters} queries wait, as {@code parked} counts them: the server has read each once and parked it. */
    public static void awaitParked(IntSupplier parked, int waiters) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (parked.getAsInt() < waiters && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(parked.getAsInt() >= waiters, parked.getAsInt() + " parked waiters");
    }

    /** The answers of all {@code waiters}, once every one has come. */
    public static <T> List<T> answers(List<CompletableFuture<T>> waiters) throws Exception {
        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return waiters.stream().map(CompletableFuture::join).toList();
    }
}
