package io.sessiond.catalog;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether this instance's node is registered yet: {@link LocalNode} registers it beside the rest of the
 * start-up, and what needs the node waits for it here, so no client sees the node missing. Depends on
 * nothing, so that the catalog can wait on it while {@link LocalNode} uses the catalog.
 */
@ApplicationScoped
public class LocalNodeRegistration {

    /** How long an operation waits for the registration before it fails; it takes milliseconds. */
    private static final long REGISTRATION_WAIT_SECONDS = 30;

    private final CompletableFuture<Void> registered = new CompletableFuture<>();
    private final CompletionStage<Void> registration = registered.minimalCompletionStage();
    private volatile Thread registering;

    /** Completes once this node is registered; fails if the registration failed. */
    public CompletionStage<Void> registration() {
        return registration;
    }

    /**
     * Returns once this node is registered (at once after the start-up, and on the registering thread itself);
     * throws if the registration failed or did not finish in time, which is this server's failure.
     */
    public void awaitRegistration() {
        if ((registered.isDone() && !registered.isCompletedExceptionally()) || Thread.currentThread() == registering) {
            return;
        }
        try {
            registered.get(REGISTRATION_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("This node is not registered: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("This node is not registered after " + REGISTRATION_WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for this node to be registered", e);
        }
    }

    /**
     * Runs {@code registration} on the calling thread, whose own catalog calls do not wait for it, and
     * completes (or fails, rethrowing) what others wait for.
     */
    void register(Runnable registration) {
        registering = Thread.currentThread();
        try {
            registration.run();
            registered.complete(null);
        } catch (RuntimeException e) {
            registered.completeExceptionally(e);
            throw e;
        } finally {
            registering = null;
        }
    }

    /** Whether the registration failed (then this instance is stopping). */
    boolean failed() {
        return registered.isCompletedExceptionally();
    }
}
