package io.sessiond.catalog;

import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The catalog as clients read it: nodes, services, checks. Reads wait for this server's node to be registered. */
@ApplicationScoped
public class CatalogReads {

    private final ChangeIndex changeIndex;
    private final LocalNodeRegistration localNode;

    public CatalogReads(ChangeIndex changeIndex, LocalNodeRegistration localNode) {
        this.changeIndex = changeIndex;
        this.localNode = localNode;
    }

    public List<Node> nodes() {
        localNode.awaitRegistration();
        return Node.list("order by name");
    }

    public Optional<Node> node(String name) {
        localNode.awaitRegistration();
        return Node.find("lower(name) = lower(?1)", name).firstResultOptional();
    }

    public List<NodeService> servicesOf(String node) {
        localNode.awaitRegistration();
        return NodeService.list("node = ?1 order by serviceId", node);
    }

    public List<HealthCheck> checksOfNode(String node) {
        localNode.awaitRegistration();
        return HealthCheck.list("lower(node) = lower(?1) order by checkId", node);
    }

    public List<HealthCheck> checksOfService(String serviceName) {
        localNode.awaitRegistration();
        return HealthCheck.list("serviceName = ?1 order by node, checkId", serviceName);
    }

    /** Checks in {@code state}: passing, warning, critical, or any. */
    public List<HealthCheck> checksInState(String state) {
        localNode.awaitRegistration();
        if (state.equals("any")) {
            return HealthCheck.list("order by node, checkId");
        }
        return HealthCheck.list("status = ?1 order by node, checkId", CheckStatus.parse(state).wire());
    }

    /** The tags of the service a check belongs to; empty for node checks. */
    public List<String> serviceTags(HealthCheck check) {
        if (check.serviceId.isEmpty()) {
            return List.of();
        }
        return NodeService.<NodeService>find("node = ?1 and serviceId = ?2", check.node, check.serviceId)
                .firstResultOptional().map(service -> Arrays.asList(service.tags)).orElse(List.of());
    }

    public long index(Table table) {
        return changeIndex.current(table);
    }
}
