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

/**
 * This sessiond instance as a node of the catalog, the way every Consul agent is one. At start-up it
 * registers its node with a passing {@code serfHealth} check, so that a session created without a node
 * (the default of every Consul client) has a node and a check to be bound to. Its liveness is a heartbeat
 * in the database ({@link Liveness}, {@link CheckLiveness}); when the heartbeat stops, any instance marks the
 * check critical.
 *
 * <p>The registration runs beside the rest of the start-up, as a Consul agent syncs its node to the catalog
 * after it began serving: a dozen statements that would otherwise delay the first request by about ten
 * milliseconds. What needs this node waits for it ({@link LocalNodeRegistration}): session creation and every
 * catalog operation but the timers', so no client sees the node missing.
 * A registration that fails stops the instance, as it stopped the start-up before.
 */
@ApplicationScoped
public class LocalNode {

    private static final Logger LOG = Logger.getLogger(LocalNode.class);

    private final SessiondConfig config;
    private final LocalNodeRegistration registration;
    private final CatalogRegistration catalog;
    private final CheckLiveness liveness;
    private final ClusterClock clusterClock;
    private final String name;
    /** {@link System#nanoTime()} of this node's last recorded heartbeat; 0 before the registration. */
    private volatile long lastHeartbeat;

    public LocalNode(SessiondConfig config, LocalNodeRegistration registration, CatalogRegistration catalog,
                     CheckLiveness liveness, ClusterClock clusterClock) {
        this.config = config;
        this.clusterClock = clusterClock;
        this.registration = registration;
        this.catalog = catalog;
        this.liveness = liveness;
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
        thread.start();
    }

    private void registerInBackground() {
        try {
            // The registration and the first heartbeat commit together: one round trip and one commit less.
            registration.register(() -> {
                // The clock first, as every heartbeat does: it then has this instance's outage-after, and if
                // every instance was down, the deadlines it pushes include this node's.
                tickClusterClock();
                QuarkusTransaction.requiringNew().run(() -> {
                    // A previous run of this node that died without leaving is dead now: its sessions end (in a
                    // transaction of their own, committed first) before the node is declared alive again.
                    liveness.reapDeadInstances(config.heartbeat().deadAfter(), Integer.MAX_VALUE, null);
                    catalog.register(new CatalogRegistration.NodeRegistration(name, config.advertiseAddress(), Map.of(),
                            Map.of(), null, List.of(new CatalogRegistration.CheckRegistration(CheckLiveness.SERF_HEALTH,
                            "Serf Health Status", CheckStatus.PASSING.wire(), "", CheckLiveness.AGENT_ALIVE, "", null)),
                            false));
                    liveness.heartbeat(name);
                });
            });
            heartbeatRecorded();
            LOG.infof("Registered node %s in datacenter %s with a passing %s check", name, config.datacenter(),
                    CheckLiveness.SERF_HEALTH);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Registering node %s failed; stopping", name);
            Quarkus.asyncExit(1);
        }
    }

    /**
     * Ticks the cluster's clock with this instance's outage-after, logging the outage it made up for if any;
     * before each of this node's heartbeats, the first included.
     */
    void tickClusterClock() {
        clusterClock.tick(config.heartbeat().outageAfter()).ifPresent(outage -> LOG.info(outage.describe()));
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
        return registration.done();
    }

    void leave(@Observes ShutdownEvent shutdown) {
        if (registration.failed()) {
            return;
        }
        switch (config.onShutdown()) {
            case KEEP -> LOG.debugf("Node %s stays registered", name);
            case LEAVE -> catalog.updateCheck(name, CheckLiveness.SERF_HEALTH, CheckStatus.CRITICAL.wire(), "Node left");
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
