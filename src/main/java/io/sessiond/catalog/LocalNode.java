package io.sessiond.catalog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sessiond.config.SessiondConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.time.Duration;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This sessiond instance as a node of the catalog, the way every Consul agent is one. At start-up it
 * registers its node with a passing {@code serfHealth} check, so that a session created without a node
 * (the default of every Consul client) has a node and a check to be bound to. Its liveness is a heartbeat
 * in the database ({@link Liveness}); when the heartbeat stops, any instance marks the check critical.
 *
 * <p>The registration runs beside the rest of the start-up, as a Consul agent syncs its node to the catalog
 * after it began serving: a dozen statements that would otherwise delay the first request by about ten
 * milliseconds. What needs this node waits for it: session creation ({@link #registration()}) and every
 * catalog operation but the timers' ({@link #awaitRegistration()}), so no client sees the node missing.
 * A registration that fails stops the instance, as it stopped the start-up before.
 */
@ApplicationScoped
public class LocalNode {

    /** The check every Consul node has and every default session is bound to. */
    public static final String SERF_HEALTH = "serfHealth";

    private static final Logger LOG = Logger.getLogger(LocalNode.class);

    /** How long an operation waits for the registration before it fails; it takes milliseconds. */
    private static final long REGISTRATION_WAIT_SECONDS = 30;

    private final SessiondConfig config;
    private final Catalog catalog;
    private final String name;
    private final CompletableFuture<Void> registered = new CompletableFuture<>();
    private final CompletionStage<Void> registration = registered.minimalCompletionStage();
    private volatile Thread registering;
    /** {@link System#nanoTime()} of this node's last recorded heartbeat; 0 before the registration. */
    private volatile long lastHeartbeat;

    public LocalNode(SessiondConfig config, Catalog catalog) {
        this.config = config;
        this.catalog = catalog;
        this.name = config.nodeName().orElseGet(LocalNode::hostName);
    }

    public String name() {
        return name;
    }

    public String datacenter() {
        return config.datacenter();
    }

    public String address() {
        return config.advertiseAddress();
    }

    /** After the schema migration (priority 0): starts the registration on a thread of its own. */
    void register(@Observes @Priority(1) StartupEvent startup) {
        Thread thread = new Thread(this::registerInBackground, "sessiond-node-registration");
        thread.setDaemon(true);
        registering = thread;
        thread.start();
    }

    private void registerInBackground() {
        try {
            // The registration and the first heartbeat commit together: one round trip and one commit less.
            QuarkusTransaction.requiringNew().run(() -> {
                // A previous run of this node that died without leaving is dead now: its sessions end (in a
                // transaction of their own, committed first) before the node is declared alive again.
                catalog.reapDeadInstances(config.heartbeat().deadAfter(), Integer.MAX_VALUE, null);
                catalog.register(new Catalog.NodeRegistration(name, config.advertiseAddress(), Map.of(), Map.of(),
                        null, List.of(new Catalog.CheckRegistration(SERF_HEALTH, "Serf Health Status",
                                CheckStatus.PASSING.wire(), "", Catalog.AGENT_ALIVE, "", null)), false));
                catalog.heartbeat(name);
            });
            heartbeatRecorded();
            registered.complete(null);
            LOG.infof("Registered node %s in datacenter %s with a passing %s check", name, config.datacenter(), SERF_HEALTH);
        } catch (RuntimeException e) {
            registered.completeExceptionally(e);
            LOG.errorf(e, "Registering node %s failed; stopping", name);
            Quarkus.asyncExit(1);
        }
    }

    /** Notes that this node's heartbeat was committed now. */
    void heartbeatRecorded() {
        lastHeartbeat = System.nanoTime();
    }

    /** Whether the node is registered and its heartbeat was committed less than {@code maxAge} ago. */
    public boolean aliveWithin(Duration maxAge) {
        long last = lastHeartbeat;
        return registered() && last != 0 && System.nanoTime() - last < maxAge.toNanos();
    }

    /** Whether the registration is done and did not fail. */
    public boolean registered() {
        return registered.isDone() && !registered.isCompletedExceptionally();
    }

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
            throw new IllegalStateException("Node " + name + " is not registered: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Node " + name + " is not registered after " + REGISTRATION_WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for node " + name + " to be registered", e);
        }
    }

    void leave(@Observes ShutdownEvent shutdown) {
        if (registered.isCompletedExceptionally()) {
            return;
        }
        switch (config.onShutdown()) {
            case KEEP -> LOG.debugf("Node %s stays registered", name);
            case LEAVE -> catalog.updateCheck(name, SERF_HEALTH, CheckStatus.CRITICAL.wire(), "Node left");
            case DEREGISTER -> catalog.deregisterNode(name);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : "sessiond";
        }
    }
}
