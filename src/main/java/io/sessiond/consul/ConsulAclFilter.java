package io.sessiond.consul;

import io.sessiond.acl.AccessControl;
import io.sessiond.acl.Access;
import io.sessiond.acl.Caller;
import io.sessiond.acl.Permission;
import io.sessiond.acl.ResourceKind;
import io.sessiond.catalog.LocalNode;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import java.util.List;

/**
 * ACL enforcement for Consul's API, declared per route: the permission each route needs, checked here
 * before the resource runs. The switch covers every route, so a new route cannot be left unguarded by
 * omission. Two kinds of route need what only the resource has, and use the same {@link Caller}: routes
 * whose resource is named in the request body (checked once it is decoded), and reads whose answer is
 * filtered to what the token may read (Consul filters lists rather than refusing them).
 */
@Provider
@ConsulApi
@Priority(Priorities.AUTHORIZATION)
public class ConsulAclFilter implements ContainerRequestFilter {

    /** Consul requires no token: status, bootstrap, and token/self, which answers for the token itself. */
    private static final List<Permission> OPEN = List.of();
    /** The resource is named in the body: the resource checks it after decoding. */
    private static final List<Permission> NAMED_IN_BODY = List.of();
    /**
     * Session writes run on the event loop, where the session's node cannot be looked up: the resource
     * checks session:write on it (see ConsulSessionResource).
     */
    private static final List<Permission> CHECKED_BY_RESOURCE = List.of();
    /** A read whose answer the resource filters by the token's read permissions. */
    private static final List<Permission> FILTERED = List.of();

    private final AccessControl accessControl;
    private final Caller caller;
    private final LocalNode localNode;
    /** The request as received: a KV key is read from its raw path, as the KV resource reads it. */
    private final HttpServerRequest httpRequest;

    public ConsulAclFilter(AccessControl accessControl, Caller caller, LocalNode localNode, HttpServerRequest httpRequest) {
        this.accessControl = accessControl;
        this.caller = caller;
        this.localNode = localNode;
        this.httpRequest = httpRequest;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!accessControl.enabled()) {
            return;
        }
        String path = request.getUriInfo().getPath();
        ConsulRoute.match(path).ifPresent(route -> {
            String key = route == ConsulRoute.KV ? ConsulPath.kvKey(httpRequest.path()) : "";
            List<Permission> required = required(route, key, request.getMethod(),
                    request.getUriInfo().getQueryParameters());
            required.forEach(permission -> caller.authorizer().require(permission));
        });
    }

    private List<Permission> required(ConsulRoute route, String key, String method,
                                      MultivaluedMap<String, String> query) {
        return switch (route) {
            case SESSION_CREATE, CATALOG_REGISTER, CATALOG_DEREGISTER -> NAMED_IN_BODY;
            case SESSION_DESTROY, SESSION_RENEW -> CHECKED_BY_RESOURCE;
            case SESSION_INFO, SESSION_NODE, SESSION_LIST, CATALOG_NODES, CATALOG_NODE, HEALTH_NODE, HEALTH_CHECKS,
                 HEALTH_STATE -> FILTERED;
            case KV -> kv(key, method, query);
            case AGENT_SELF -> List.of(Permission.of(ResourceKind.AGENT, localNode.name(), Access.READ));
            case AGENT_CHECK_REGISTER, AGENT_CHECK_DEREGISTER, AGENT_CHECK_PASS, AGENT_CHECK_WARN, AGENT_CHECK_FAIL,
                 AGENT_CHECK_UPDATE -> List.of(Permission.of(ResourceKind.NODE, localNode.name(), Access.WRITE));
            case STATUS_LEADER, STATUS_PEERS, ACL_BOOTSTRAP, ACL_TOKEN_SELF -> OPEN;
            case ACL_POLICY_BY_NAME, ACL_POLICIES, ACL_TOKENS -> List.of(Permission.acl(Access.READ));
            case ACL_POLICY_CREATE, ACL_TOKEN_CREATE -> List.of(Permission.acl(Access.WRITE));
            case ACL_POLICY, ACL_TOKEN -> List.of(Permission.acl(method.equals("GET") ? Access.READ : Access.WRITE));
        };
    }

    /**
     * Reading a key needs key:read, any write key:write (so a lock is taken or given up only with write
     * on its key), a recursive delete write on everything under the prefix; listings are filtered.
     */
    private static List<Permission> kv(String key, String method, MultivaluedMap<String, String> query) {
        if (method.equals("GET")) {
            return query.containsKey("recurse") || query.containsKey("keys")
                    ? FILTERED : List.of(Permission.of(ResourceKind.KEY, key, Access.READ));
        }
        if (method.equals("DELETE") && query.containsKey("recurse")) {
            return List.of(Permission.everythingUnder(ResourceKind.KEY, key, Access.WRITE));
        }
        return List.of(Permission.of(ResourceKind.KEY, key, Access.WRITE));
    }
}
