package io.sessiond.consul;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Consul's route table: each path and the methods it accepts (Consul's {@code http_register.go}). A path
 * ending in {@code /} is a prefix route whose last segment is a parameter. Kept as a table because Consul
 * answers OPTIONS and wrong methods per route ({@code Allow: OPTIONS,PUT}), which JAX-RS derives per class.
 * ACL permissions are not here: each resource method declares its own ({@link ConsulAclFilter}). The first
 * matching route wins, so a longer route precedes the prefix route it starts with.
 */
enum ConsulRoute {
    SESSION_CREATE("/v1/session/create", "PUT"),
    SESSION_DESTROY("/v1/session/destroy/", "PUT"),
    SESSION_RENEW("/v1/session/renew/", "PUT"),
    SESSION_INFO("/v1/session/info/", "GET"),
    SESSION_NODE("/v1/session/node/", "GET"),
    SESSION_LIST("/v1/session/list", "GET"),
    KV("/v1/kv/", "GET", "PUT", "DELETE"),
    CATALOG_REGISTER("/v1/catalog/register", "PUT"),
    CATALOG_DEREGISTER("/v1/catalog/deregister", "PUT"),
    CATALOG_NODES("/v1/catalog/nodes", "GET"),
    CATALOG_NODE("/v1/catalog/node/", "GET"),
    HEALTH_NODE("/v1/health/node/", "GET"),
    HEALTH_CHECKS("/v1/health/checks/", "GET"),
    HEALTH_STATE("/v1/health/state/", "GET"),
    AGENT_SELF("/v1/agent/self", "GET"),
    AGENT_METRICS("/v1/agent/metrics", "GET"),
    AGENT_CHECK_REGISTER("/v1/agent/check/register", "PUT"),
    AGENT_CHECK_DEREGISTER("/v1/agent/check/deregister/", "PUT"),
    AGENT_CHECK_PASS("/v1/agent/check/pass/", "PUT"),
    AGENT_CHECK_WARN("/v1/agent/check/warn/", "PUT"),
    AGENT_CHECK_FAIL("/v1/agent/check/fail/", "PUT"),
    AGENT_CHECK_UPDATE("/v1/agent/check/update/", "PUT"),
    STATUS_LEADER("/v1/status/leader", "GET"),
    STATUS_PEERS("/v1/status/peers", "GET"),
    ACL_BOOTSTRAP("/v1/acl/bootstrap", "PUT"),
    ACL_POLICY_CREATE("/v1/acl/policy", "PUT"),
    ACL_POLICY_BY_NAME("/v1/acl/policy/name/", "GET"),
    ACL_POLICY("/v1/acl/policy/", "GET", "PUT", "DELETE"),
    ACL_POLICIES("/v1/acl/policies", "GET"),
    ACL_TOKEN_CREATE("/v1/acl/token", "PUT"),
    ACL_TOKEN_SELF("/v1/acl/token/self", "GET"),
    ACL_TOKEN("/v1/acl/token/", "GET", "PUT", "DELETE"),
    ACL_TOKENS("/v1/acl/tokens", "GET"),
    INTERNAL_ACL_AUTHORIZE("/v1/internal/acl/authorize", "POST");

    private final String path;
    private final List<String> methods;

    ConsulRoute(String path, String... methods) {
        this.path = path;
        this.methods = List.of(methods);
    }

    static Optional<ConsulRoute> match(String requestPath) {
        return Arrays.stream(values()).filter(route -> route.matches(requestPath)).findFirst();
    }

    boolean allows(String method) {
        return methods.contains(method);
    }

    /** The {@code Allow} header as Consul writes it: OPTIONS first, comma-separated, no spaces. */
    String allowHeader() {
        return "OPTIONS," + String.join(",", methods);
    }

    /** The route as the HTTP meters name it: a prefix route's last segment as {@code *}. */
    String template() {
        return path.endsWith("/") ? path + "*" : path;
    }

    private boolean matches(String requestPath) {
        return path.endsWith("/") ? requestPath.startsWith(path) : requestPath.equals(path);
    }
}
