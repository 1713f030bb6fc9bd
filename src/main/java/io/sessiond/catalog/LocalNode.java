package io.sessiond.catalog;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sessiond.config.SessiondConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * This sessiond instance as a node of the catalog, the way every Consul agent is one. At start-up it
 * registers its node with a passing {@code serfHealth} check, so that a session created without a node
 * (the default of every Consul client) has a node and a check to be bound to. Its liveness is a heartbeat
 * in the database ({@link Liveness}); when the heartbeat stops, any instance marks the check critical.
 */
@ApplicationScoped
public class LocalNode {

    /** The check every Consul node has and every default session is bound to. */
    public static final String SERF_HEALTH = "serfHealth";

    private static final Logger LOG = Logger.getLogger(LocalNode.class);

    private final SessiondConfig config;
    private final Catalog catalog;
    private final String name;

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

    /** The registration and the first heartbeat commit together: one round trip and one commit less. */
    @Transactional
    void register(@Observes @Priority(1) StartupEvent startup) {
        // A previous run of this node that died without leaving is dead now: its sessions end (in a
        // transaction of their own, committed first) before the node is declared alive again.
        catalog.reapDeadInstances(config.heartbeat().deadAfter(), Integer.MAX_VALUE, null);
        catalog.register(new Catalog.NodeRegistration(name, config.advertiseAddress(), Map.of(), Map.of(), null,
                List.of(new Catalog.CheckRegistration(SERF_HEALTH, "Serf Health Status", CheckStatus.PASSING.wire(), "",
                        Catalog.AGENT_ALIVE, "", null)), false));
        catalog.heartbeat(name);
        LOG.infof("Registered node %s in datacenter %s with a passing %s check", name, config.datacenter(), SERF_HEALTH);
    }

    void leave(@Observes ShutdownEvent shutdown) {
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
