package io.sessiond.acl;

import io.sessiond.catalog.HealthCheck;
import io.sessiond.catalog.Node;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Function;

/**
 * Who may read and change the catalog, for every dialect, as Consul's catalog and health endpoints decide
 * it: a node is guarded by its name ({@code node:read}, {@code node:write}), a service by its name
 * ({@code service:read}, {@code service:write}), and a check by its node and, for a service check, its
 * service as well.
 */
@ApplicationScoped
public class CatalogAccess {

    /**
     * Registering needs node:write on the node and, when it registers a named service, service:write on
     * that service (checked in this order). An absent or empty node name needs nothing here: the catalog
     * refuses it.
     */
    public void requireRegister(Authorizer authorizer, String node, String serviceName) {
        requireNodeWrite(authorizer, node);
        if (serviceName != null) {
            authorizer.require(ResourceKind.SERVICE, serviceName, Access.WRITE);
        }
    }

    /** Deregistering anything on a node (the node, a service or a check) needs node:write on it. */
    public void requireDeregister(Authorizer authorizer, String node) {
        requireNodeWrite(authorizer, node);
    }

    public boolean mayRead(Authorizer authorizer, Node node) {
        return authorizer.allows(ResourceKind.NODE, node.name, Access.READ);
    }

    /** The nodes the token may read. */
    public Authorizer.Filtered<Node> readableNodes(Authorizer authorizer, List<Node> nodes) {
        return authorizer.filter(nodes, ResourceKind.NODE, node -> node.name);
    }

    /** The services, named by {@code serviceName}, the token may read. */
    public <T> Authorizer.Filtered<T> readableServices(Authorizer authorizer, List<T> services,
                                                        Function<T, String> serviceName) {
        return authorizer.filter(services, ResourceKind.SERVICE, serviceName);
    }

    /** The checks, as {@code check} finds them in {@code items}, the token may read. */
    public <T> Authorizer.Filtered<T> readableChecks(Authorizer authorizer, List<T> items,
                                                      Function<T, HealthCheck> check) {
        return authorizer.filter(items, item -> mayRead(authorizer, check.apply(item)));
    }

    private static boolean mayRead(Authorizer authorizer, HealthCheck check) {
        return authorizer.allows(ResourceKind.NODE, check.node, Access.READ)
                && (check.serviceName.isEmpty() || authorizer.allows(ResourceKind.SERVICE, check.serviceName, Access.READ));
    }

    private static void requireNodeWrite(Authorizer authorizer, String node) {
        if (node != null && !node.isEmpty()) {
            authorizer.require(ResourceKind.NODE, node, Access.WRITE);
        }
    }
}
