package io.sessiond.catalog;

import io.quarkus.runtime.StartupEvent;
import io.sessiond.config.SessiondConfig;
import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.index.WriteStamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * This sessiond instance as a node of the catalog. Registered at start-up with a passing
 * {@code serfHealth} check, so that a session created without a node (the default of every Consul
 * client) has a node and a check to be bound to.
 */
@ApplicationScoped
public class LocalNode {

    /** The check every Consul node has and every default session is bound to. */
    public static final String SERF_HEALTH = "serfHealth";

    private static final Logger LOG = Logger.getLogger(LocalNode.class);

    private final SessiondConfig config;
    private final EntityManager em;
    private final ChangeIndex changeIndex;
    private final String name;

    public LocalNode(SessiondConfig config, EntityManager em, ChangeIndex changeIndex) {
        this.config = config;
        this.em = em;
        this.changeIndex = changeIndex;
        this.name = config.nodeName().orElseGet(LocalNode::hostName);
    }

    public String name() {
        return name;
    }

    public String datacenter() {
        return config.datacenter();
    }

    @Transactional
    void register(@Observes StartupEvent startup) {
        // Upserts rather than inserts: the node outlives restarts, and two instances may share a name.
        em.createNativeQuery("SELECT 1 FROM nodes WHERE name = ?1 FOR UPDATE").setParameter(1, name).getResultList();
        WriteStamp stamp = changeIndex.advance(Table.CHECKS, Table.NODES);
        em.createNativeQuery("INSERT INTO nodes (name, id, address, datacenter, create_index, modify_index) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (name) DO UPDATE "
                        + "SET address = excluded.address, datacenter = excluded.datacenter, "
                        + "modify_index = excluded.modify_index")
                .setParameter(1, name)
                .setParameter(2, UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)))
                .setParameter(3, config.advertiseAddress())
                .setParameter(4, config.datacenter())
                .setParameter(5, stamp.index())
                .executeUpdate();
        em.createNativeQuery("INSERT INTO checks (node, check_id, name, status, output, create_index, modify_index) "
                        + "VALUES (?1, ?2, 'Serf Health Status', 'passing', 'Agent alive and reachable', ?3, ?3) "
                        + "ON CONFLICT (node, check_id) DO UPDATE SET status = excluded.status, "
                        + "output = excluded.output, modify_index = excluded.modify_index")
                .setParameter(1, name)
                .setParameter(2, SERF_HEALTH)
                .setParameter(3, stamp.index())
                .executeUpdate();
        LOG.infof("Registered node %s in datacenter %s with a passing %s check", name, config.datacenter(), SERF_HEALTH);
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
