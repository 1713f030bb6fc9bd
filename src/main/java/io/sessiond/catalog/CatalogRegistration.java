package io.sessiond.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.RejectedException;
import io.sessiond.config.SessiondConfig;
import io.sessiond.go.GoDuration;
import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.index.WriteStamp;
import io.sessiond.session.SessionInvalidation;
import io.sessiond.session.SessionInvalidation.EndReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What clients register: nodes, their services and health checks, and their removal. A session lives only
 * while its node is registered and the checks it is bound to are not critical, so a write that removes a
 * node or check, or turns a check critical, ends those sessions in its own transaction, through
 * {@link SessionInvalidation}. Every write waits for this server's own node to be registered
 * ({@link LocalNodeRegistration}).
 */
@ApplicationScoped
public class CatalogRegistration {

    public record ServiceRegistration(String id, String name, List<String> tags, String address, int port) {
    }

    /** A check to write; {@code ttlNs} is set for TTL checks, which turn critical when not updated in time. */
    public record CheckRegistration(String checkId, String name, String status, String notes, String output,
                                    String serviceId, Long ttlNs) {
    }

    public record NodeRegistration(String node, String address, Map<String, String> taggedAddresses,
                                   Map<String, String> meta, ServiceRegistration service,
                                   List<CheckRegistration> checks, boolean skipNodeUpdate) {
    }

    private static final Table[] CATALOG = {Table.CHECKS, Table.NODES, Table.SERVICES};
    private static final Table[] CATALOG_AND_SESSIONS = SessionInvalidation.endingSessionsAnd(CATALOG);
    private static final Table[] CHECKS_AND_SESSIONS = SessionInvalidation.endingSessionsAnd(Table.CHECKS);

    private static final String UPSERT_NODE = """
            INSERT INTO nodes (name, id, address, datacenter, tagged_addresses, meta, create_index, modify_index)
            VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), CAST(?6 AS jsonb), ?7, ?7)
            ON CONFLICT (name) DO UPDATE SET address = excluded.address, tagged_addresses = excluded.tagged_addresses,
                meta = excluded.meta, modify_index = excluded.modify_index""";
    private static final String UPSERT_SERVICE = """
            INSERT INTO services (node, service_id, service_name, tags, address, port, create_index, modify_index)
            VALUES (?1, ?2, ?3, CAST(?4 AS text[]), ?5, ?6, ?7, ?7)
            ON CONFLICT (node, service_id) DO UPDATE SET service_name = excluded.service_name, tags = excluded.tags,
                address = excluded.address, port = excluded.port, modify_index = excluded.modify_index""";
    /** ?9 is the TTL in nanoseconds, null for a check without one: its clock starts now (database time). */
    private static final String UPSERT_CHECK = """
            INSERT INTO checks (node, check_id, name, status, notes, output, service_id, service_name,
                ttl_ns, ttl_expires_at, create_index, modify_index)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, CAST(?9 AS bigint),
                clock_timestamp() + make_interval(secs => CAST(?9 AS bigint) / 1e9), ?10, ?10)
            ON CONFLICT (node, check_id) DO UPDATE SET name = excluded.name, status = excluded.status,
                notes = excluded.notes, output = excluded.output, service_id = excluded.service_id,
                service_name = excluded.service_name, ttl_ns = excluded.ttl_ns,
                ttl_expires_at = excluded.ttl_expires_at, modify_index = excluded.modify_index""";

    private static final String DELETE_NODE = "DELETE FROM nodes WHERE name = ?1";
    private static final String DELETE_CHECK = "DELETE FROM checks WHERE node = ?1 AND check_id = ?2";
    private static final String LOCK_CHECKS_OF_SERVICE = """
            SELECT check_id FROM checks WHERE node = ?1 AND service_id = ?2
            FOR UPDATE""";
    private static final String DELETE_CHECKS_OF_SERVICE = "DELETE FROM checks WHERE node = ?1 AND service_id = ?2";
    private static final String DELETE_SERVICE = "DELETE FROM services WHERE node = ?1 AND service_id = ?2";

    /** Restarts a TTL check's clock only if status ?3 and output ?4 are what it has (see restartTtlIfUnchanged). */
    private static final String RESTART_TTL_IF_UNCHANGED = """
            UPDATE checks SET ttl_expires_at = clock_timestamp() + make_interval(secs => ttl_ns / 1e9)
            WHERE node = ?1 AND check_id = ?2 AND status = ?3 AND output = ?4""";

    private final EntityManager em;
    private final ChangeIndex changeIndex;
    private final SessionInvalidation sessions;
    private final SessiondConfig config;
    private final ObjectMapper json;
    private final LocalNodeRegistration localNode;

    public CatalogRegistration(EntityManager em, ChangeIndex changeIndex, SessionInvalidation sessions,
                               SessiondConfig config, ObjectMapper json, LocalNodeRegistration localNode) {
        this.em = em;
        this.changeIndex = changeIndex;
        this.sessions = sessions;
        this.config = config;
        this.json = json;
        this.localNode = localNode;
    }

    /**
     * The longest node name, service ID or name, or check ID, in UTF-8 bytes. They are keys of the catalog's
     * indexes, whose entries PostgreSQL caps at about 2.7 KB; a node and a check ID together stay under it.
     */
    public static final int MAX_IDENTIFIER_BYTES = 1024;

    /**
     * Registers or updates a node with an optional service and checks. A check written as critical ends
     * the sessions bound to it, in this transaction.
     */
    @Transactional
    public void register(NodeRegistration registration) {
        localNode.awaitRegistration();
        if (registration.node() == null || registration.node().isEmpty()) {
            throw RejectedException.invalid("Must provide node");
        }
        if (!registration.skipNodeUpdate() && (registration.address() == null || registration.address().isEmpty())) {
            throw RejectedException.invalid("Must provide address if SkipNodeUpdate is not set");
        }
        registration.checks().forEach(check -> CheckStatus.parse(check.status()));
        requireIndexable(registration);
        boolean endsSessions = registration.checks().stream().anyMatch(check -> CheckStatus.parse(check.status()) == CheckStatus.CRITICAL);
        WriteStamp stamp = changeIndex.advance(endsSessions ? CATALOG_AND_SESSIONS : CATALOG);

        String node = Node.findForShare(registration.node()).map(existing -> existing.name).orElse(registration.node());
        if (registration.skipNodeUpdate()) {
            Node.findForShare(node).orElseThrow(() -> RejectedException.invalid("apply failed: Missing node registration"));
        } else {
            upsertNode(node, registration, stamp);
        }
        ServiceRegistration service = registration.service();
        if (service != null) {
            upsertService(node, service, stamp);
        }
        List<String> critical = new ArrayList<>();
        for (CheckRegistration check : registration.checks()) {
            String serviceName = serviceNameFor(node, check.serviceId(), service);
            upsertCheck(node, check, serviceName, stamp);
            if (CheckStatus.parse(check.status()) == CheckStatus.CRITICAL) {
                critical.add(check.checkId());
            }
        }
        if (!critical.isEmpty()) {
            sessions.invalidate(sessions.lockBoundTo(node, critical), EndReason.CHECK_CRITICAL, stamp);
        }
    }

    /** Refuses an identifier too long to index, naming it, before anything is written. */
    private static void requireIndexable(NodeRegistration registration) {
        requireIndexable("Node", registration.node());
        if (registration.service() != null) {
            requireIndexable("Service ID", registration.service().id());
            requireIndexable("Service name", registration.service().name());
        }
        for (CheckRegistration check : registration.checks()) {
            requireIndexable("Check ID", check.checkId());
            requireIndexable("Check service ID", check.serviceId());
        }
    }

    private static void requireIndexable(String what, String identifier) {
        if (identifier != null) {
            int bytes = identifier.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_IDENTIFIER_BYTES) {
                throw RejectedException.invalid(what + " is too long: " + bytes + " bytes (at most " + MAX_IDENTIFIER_BYTES + ")");
            }
        }
    }

    /** Removes a node with its services and checks; every session on it ends. Unknown nodes are no error. */
    @Transactional
    public void deregisterNode(String node) {
        WriteStamp stamp = beginRemoval(node, CATALOG_AND_SESSIONS);
        Optional<Node> found = Node.find("lower(name) = lower(?1)", node).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        if (found.isEmpty()) {
            changeIndex.nothingChanged();
            return;
        }
        String name = found.get().name;
        sessions.invalidate(sessions.lockOnNode(name), EndReason.NODE_DEREGISTERED, stamp);
        em.createNativeQuery(DELETE_NODE).setParameter(1, name).executeUpdate();
    }

    /** Removes one check; the sessions bound to it end. */
    @Transactional
    public void deregisterCheck(String node, String checkId) {
        WriteStamp stamp = beginRemoval(node, CHECKS_AND_SESSIONS);
        String name = canonicalName(node);
        List<UUID> bound = sessions.lockBoundTo(name, List.of(checkId));
        sessions.invalidate(bound, EndReason.CHECK_DEREGISTERED, stamp);
        int deleted = em.createNativeQuery(DELETE_CHECK)
                .setParameter(1, name).setParameter(2, checkId).executeUpdate();
        if (deleted == 0 && bound.isEmpty()) {
            changeIndex.nothingChanged();
        }
    }

    /** Removes a service and its checks; the sessions bound to those checks end. */
    @Transactional
    public void deregisterService(String node, String serviceId) {
        WriteStamp stamp = beginRemoval(node, CATALOG_AND_SESSIONS);
        String name = canonicalName(node);
        @SuppressWarnings("unchecked")
        List<String> checkIds = em.createNativeQuery(LOCK_CHECKS_OF_SERVICE)
                .setParameter(1, name).setParameter(2, serviceId).getResultList();
        if (!checkIds.isEmpty()) {
            sessions.invalidate(sessions.lockBoundTo(name, checkIds), EndReason.CHECK_DEREGISTERED, stamp);
        }
        em.createNativeQuery(DELETE_CHECKS_OF_SERVICE)
                .setParameter(1, name).setParameter(2, serviceId).executeUpdate();
        int deleted = em.createNativeQuery(DELETE_SERVICE)
                .setParameter(1, name).setParameter(2, serviceId).executeUpdate();
        if (deleted == 0 && checkIds.isEmpty()) {
            changeIndex.nothingChanged();
        }
    }

    /**
     * Sets a check's status and output (what agent check updates do); a TTL check's clock restarts. Turning
     * critical ends the sessions bound to it.
     */
    @Transactional
    public void updateCheck(String node, String checkId, String status, String output) {
        localNode.awaitRegistration();
        CheckStatus newStatus = CheckStatus.parse(status);
        if (restartTtlIfUnchanged(node, checkId, newStatus, output == null ? "" : output)) {
            return;
        }
        WriteStamp stamp = changeIndex.advance(newStatus == CheckStatus.CRITICAL ? CHECKS_AND_SESSIONS : new Table[]{Table.CHECKS});
        HealthCheck check = HealthCheck.<HealthCheck>find("node = ?1 and checkId = ?2", node, checkId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(() -> RejectedException.notFound("Unknown check ID " + quote(checkId)
                        + ". Ensure that the check ID is passed, not the check name."));
        check.status = newStatus.wire();
        check.output = output == null ? "" : output;
        check.modifyIndex = stamp.index();
        if (check.ttlNs != null) {
            check.ttlExpiresAt = stamp.now().plusNanos(check.ttlNs);
        }
        if (newStatus == CheckStatus.CRITICAL) {
            sessions.invalidate(sessions.lockBoundTo(node, List.of(checkId)), EndReason.CHECK_CRITICAL, stamp);
        }
    }

    /**
     * An update that leaves a check's status and output as they are is no change clients can see, and moves no
     * index, as in Consul: only a TTL check's clock restarts, by one statement that locks nothing but the
     * check's row and takes no change index (so it waits on no writer). If the check changed meanwhile (a
     * reaper turned it critical), it no longer matches and the update takes the indexed path.
     */
    private boolean restartTtlIfUnchanged(String node, String checkId, CheckStatus status, String output) {
        return em.createNativeQuery(RESTART_TTL_IF_UNCHANGED)
                .setParameter(1, node).setParameter(2, checkId).setParameter(3, status.wire()).setParameter(4, output)
                .executeUpdate() == 1;
    }

    private void upsertNode(String node, NodeRegistration registration, WriteStamp stamp) {
        em.createNativeQuery(UPSERT_NODE)
                .setParameter(1, node)
                .setParameter(2, UUID.nameUUIDFromBytes(node.getBytes(StandardCharsets.UTF_8)))
                .setParameter(3, registration.address())
                .setParameter(4, config.datacenter())
                .setParameter(5, toJson(registration.taggedAddresses()))
                .setParameter(6, toJson(registration.meta()))
                .setParameter(7, stamp.index())
                .executeUpdate();
    }

    private void upsertService(String node, ServiceRegistration service, WriteStamp stamp) {
        String id = service.id() == null || service.id().isEmpty() ? service.name() : service.id();
        if (id == null || id.isEmpty()) {
            throw RejectedException.invalid("Must provide service name (Service.Service)");
        }
        em.createNativeQuery(UPSERT_SERVICE)
                .setParameter(1, node)
                .setParameter(2, id)
                .setParameter(3, service.name() == null || service.name().isEmpty() ? id : service.name())
                .setParameter(4, service.tags() == null ? new String[0] : service.tags().toArray(String[]::new))
                .setParameter(5, service.address() == null ? "" : service.address())
                .setParameter(6, service.port())
                .setParameter(7, stamp.index())
                .executeUpdate();
    }

    private void upsertCheck(String node, CheckRegistration check, String serviceName, WriteStamp stamp) {
        em.createNativeQuery(UPSERT_CHECK)
                .setParameter(1, node)
                .setParameter(2, check.checkId())
                .setParameter(3, check.name() == null ? check.checkId() : check.name())
                .setParameter(4, CheckStatus.parse(check.status()).wire())
                .setParameter(5, check.notes() == null ? "" : check.notes())
                .setParameter(6, check.output() == null ? "" : check.output())
                .setParameter(7, check.serviceId() == null ? "" : check.serviceId())
                .setParameter(8, serviceName)
                .setParameter(9, check.ttlNs())
                .setParameter(10, stamp.index())
                .executeUpdate();
    }

    private String serviceNameFor(String node, String serviceId, ServiceRegistration registering) {
        if (serviceId == null || serviceId.isEmpty()) {
            return "";
        }
        if (registering != null && (serviceId.equals(registering.id()) || serviceId.equals(registering.name()))) {
            return registering.name() == null || registering.name().isEmpty() ? serviceId : registering.name();
        }
        return NodeService.<NodeService>find("node = ?1 and serviceId = ?2", node, serviceId).firstResultOptional()
                .map(service -> service.serviceName)
                .orElseThrow(() -> RejectedException.invalid("Unknown service ID " + quote(serviceId) + " for check"));
    }

    private String canonicalName(String node) {
        return Node.findForShare(node).map(found -> found.name).orElse(node);
    }

    /**
     * The start of a removal from {@code node}: once this node is registered and the name given, the change
     * index of {@code tables}, which the write protocol takes before anything else.
     */
    private WriteStamp beginRemoval(String node, Table[] tables) {
        localNode.awaitRegistration();
        requireNode(node);
        return changeIndex.advance(tables);
    }

    private static void requireNode(String node) {
        if (node == null || node.isEmpty()) {
            throw RejectedException.invalid("Must provide node");
        }
    }

    private String toJson(Map<String, String> values) {
        try {
            return json.writeValueAsString(values == null ? Map.of() : values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of strings always serializes", e);
        }
    }

    private static String quote(String value) {
        return GoDuration.quote(value);
    }
}
