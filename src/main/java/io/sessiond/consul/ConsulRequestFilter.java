package io.sessiond.consul;

import io.sessiond.RejectedException;
import io.sessiond.StoredText;
import io.sessiond.catalog.LocalNode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

/**
 * The query parameters and headers every Consul endpoint shares: {@code ?dc=} must name this server's
 * datacenter, and namespaces (a Consul Enterprise feature) are refused the way Consul CE refuses them.
 * Every query parameter is text PostgreSQL can store (a note, a session, a token may reach it). Runs
 * before the ACL filter, which resolves {@code ?token=}.
 */
@Provider
@ConsulApi
@Priority(Priorities.AUTHENTICATION - 1)
public class ConsulRequestFilter implements ContainerRequestFilter {

    private final LocalNode localNode;

    public ConsulRequestFilter(LocalNode localNode) {
        this.localNode = localNode;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        query.forEach((name, values) -> {
            StoredText.require("Invalid query parameter: a parameter name", name);
            values.forEach(value -> StoredText.require("Invalid query parameter: " + name, value));
        });
        String dc = query.getFirst("dc");
        if (dc != null && !dc.isEmpty() && !dc.equals(localNode.datacenter())) {
            throw RejectedException.invalid("No path to datacenter");
        }
        if (isNamespace(query.getFirst("ns"))) {
            throw RejectedException.invalid(
                    "Invalid query parameter: \"ns\" - Namespaces are a Consul Enterprise feature");
        }
        if (isNamespace(request.getHeaderString("X-Consul-Namespace"))) {
            throw RejectedException.invalid(
                    "Invalid header: \"X-Consul-Namespace\" - Namespaces are a Consul Enterprise feature");
        }
    }

    private static boolean isNamespace(String value) {
        return value != null && !value.isEmpty() && !value.equals("default");
    }
}
