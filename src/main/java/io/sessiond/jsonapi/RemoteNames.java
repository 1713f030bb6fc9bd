package io.sessiond.jsonapi;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reverse DNS for {@code rdns=true}: the host name of a client address, or the address itself when it has
 * none or the lookup takes longer than {@link #TIMEOUT}. A slow lookup goes on in the background and its
 * answer is cached, so a listing never waits on DNS for more than the timeout per address.
 */
@ApplicationScoped
class RemoteNames {

    static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration CACHED_FOR = Duration.ofMinutes(5);
    private static final int MAX_CACHED = 10_000;

    private record Cached(CompletableFuture<String> name, long expiresAtNanos) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final ExecutorService lookups = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "sessiond-rdns");
        thread.setDaemon(true);
        return thread;
    });

    String nameOf(String address) {
        long now = System.nanoTime();
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        Cached cached = cache.compute(address, (key, old) -> old != null && old.expiresAtNanos - now > 0 ? old
                : new Cached(CompletableFuture.supplyAsync(() -> lookUp(key), lookups), now + CACHED_FOR.toNanos()));
        try {
            return cached.name().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return address;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return address;
        }
    }

    /** {@code getCanonicalHostName} answers the address itself when no name resolves. */
    private static String lookUp(String address) {
        try {
            return InetAddress.getByName(address).getCanonicalHostName();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    @PreDestroy
    void stop() {
        lookups.shutdownNow();
    }
}
