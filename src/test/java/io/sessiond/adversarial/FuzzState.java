package io.sessiond.adversarial;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What exists on the server for the generated requests to aim at: ids and names made by the suite's own
 * valid requests. Ids that were deleted since stay: a request naming them gets a 404, which is fine.
 */
final class FuzzState {

    final List<String> sessions = new CopyOnWriteArrayList<>();
    final List<String> webSessions = new CopyOnWriteArrayList<>();
    final List<String> keys = new CopyOnWriteArrayList<>(List.of("fuzz/a"));
    final List<String> nodes = new CopyOnWriteArrayList<>();
    final List<String> services = new CopyOnWriteArrayList<>(List.of("web"));
    /** Not this instance's serfHealth: failing or removing it ends every session made without a node. */
    final List<String> checks = new CopyOnWriteArrayList<>();
    final List<String> policyIds = new CopyOnWriteArrayList<>(List.of("00000000-0000-0000-0000-000000000001"));
    final List<String> policyNames = new CopyOnWriteArrayList<>(List.of("global-management"));
    final List<String> tokenAccessors = new CopyOnWriteArrayList<>(List.of("00000000-0000-0000-0000-000000000002"));
    final List<String> lockTokens = new CopyOnWriteArrayList<>();
    /** Secrets of tokens to send (ACL runs): a management token and a read-only one. */
    volatile String managementToken;
    volatile String readOnlyToken;
    final String localNode;

    FuzzState(String localNode) {
        this.localNode = localNode;
        nodes.add(localNode);
    }

    /** The values a path parameter may take, by its name and the route's path. */
    List<String> valuesFor(String parameter, String template) {
        List<String> values = switch (parameter) {
            case "key" -> keys;
            case "node" -> nodes;
            case "service" -> services;
            case "state" -> List.of("any", "passing", "warning", "critical");
            case "name" -> union(policyNames, services);
            default -> idsFor(template);
        };
        return values.isEmpty() ? List.of("x") : values;
    }

    private List<String> idsFor(String template) {
        if (template.contains("web-sessions")) {
            return webSessions;
        }
        if (template.contains("/session")) {
            return sessions;
        }
        if (template.contains("policy")) {
            return policyIds;
        }
        if (template.contains("token")) {
            return tokenAccessors;
        }
        if (template.contains("check")) {
            return checks;
        }
        return union(sessions, webSessions, policyIds, tokenAccessors, checks, nodes, keys);
    }

    @SafeVarargs
    private static List<String> union(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    /** Any id the server knows, of any kind. */
    List<String> anyId() {
        return union(sessions, webSessions, policyIds, tokenAccessors);
    }
}
