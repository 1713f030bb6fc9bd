package io.sessiond.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessiond.RejectedException;
import io.sessiond.json.InvalidJsonException;
import io.sessiond.json.StrictJson;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The rules of one or more policies, in Consul's JSON rule syntax:
 * {@code {"key_prefix": {"app/": {"policy": "write"}}, "session": {"web-1": {"policy": "read"}}, "acl": "read"}}.
 * For a name, an exact rule beats every prefix rule and the longest matching prefix beats shorter ones;
 * rules of several policies on the same name merge with deny beating all.
 */
final class Rules {

    static final Rules NONE = new Rules();

    /** Consul rule kinds with no API here to guard: accepted, so that policies written for Consul load. */
    private static final Set<String> UNGUARDED = Set.of("event", "event_prefix", "query", "query_prefix", "operator",
            "keyring", "mesh", "peering", "identity", "identity_prefix");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<ResourceKind, TreeMap<String, Grant>> exact = new EnumMap<>(ResourceKind.class);
    private final Map<ResourceKind, TreeMap<String, Grant>> prefixes = new EnumMap<>(ResourceKind.class);
    private Grant acl;

    private Rules() {
        for (ResourceKind kind : ResourceKind.values()) {
            exact.put(kind, new TreeMap<>());
            prefixes.put(kind, new TreeMap<>());
        }
    }

    /** Parses a policy's rules; an empty text grants nothing. Errors name the offending rule. */
    static Rules parse(String text) {
        Rules rules = new Rules();
        if (text == null || text.isBlank()) {
            return rules;
        }
        JsonNode root;
        try {
            root = StrictJson.readTree(JSON, text);
        } catch (InvalidJsonException e) {
            throw invalid(switch (e.kind()) {
                case EMPTY, TRUNCATED, MALFORMED -> "rules are not JSON: " + e.detail();
                case TRAILING_DATA -> "rules are not JSON: unexpected '" + e.detail() + "' after the JSON value";
                case NUMBER_OUT_OF_RANGE -> "rules are not JSON: the number at " + e.dottedPath() + " is out of range: "
                        + e.detail();
            });
        }
        if (root == null || !root.isObject()) {
            throw invalid("rules must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> rule = it.next();
            rules.add(rule.getKey(), rule.getValue());
        }
        return rules;
    }

    private void add(String ruleName, JsonNode value) {
        if (ruleName.equals(ResourceKind.ACL.wire())) {
            if (!value.isTextual()) {
                throw invalid("\"acl\" must be \"read\", \"write\" or \"deny\"");
            }
            acl = Grant.parse(value.asText(), "acl");
            return;
        }
        if (UNGUARDED.contains(ruleName)) {
            return;
        }
        ResourceKind kind = Arrays.stream(ResourceKind.values()).filter(ResourceKind::named)
                .filter(k -> k.wire().equals(ruleName) || k.prefixRule().equals(ruleName))
                .findFirst()
                .orElseThrow(() -> invalid("unknown rule \"" + ruleName + "\""));
        TreeMap<String, Grant> target = ruleName.equals(kind.wire()) ? exact.get(kind) : prefixes.get(kind);
        if (!value.isObject()) {
            throw invalid("\"" + ruleName + "\" must map names to {\"policy\": ...}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> named = it.next();
            JsonNode policy = named.getValue().get("policy");
            String where = ruleName + " \"" + named.getKey() + "\"";
            if (policy == null || !policy.isTextual()) {
                throw invalid(where + " needs a \"policy\"");
            }
            target.merge(named.getKey(), Grant.parse(policy.asText(), where), Grant::merge);
        }
    }

    /** The rules of both, merged name by name. */
    Rules merge(Rules other) {
        Rules merged = new Rules();
        for (Rules source : new Rules[]{this, other}) {
            for (ResourceKind kind : ResourceKind.values()) {
                source.exact.get(kind).forEach((name, grant) -> merged.exact.get(kind).merge(name, grant, Grant::merge));
                source.prefixes.get(kind).forEach((name, grant) -> merged.prefixes.get(kind).merge(name, grant, Grant::merge));
            }
            if (source.acl != null) {
                merged.acl = merged.acl == null ? source.acl : Grant.merge(merged.acl, source.acl);
            }
        }
        return merged;
    }

    /** The grant of the rule that decides for {@code name}: exact, else the longest prefix; empty if none. */
    Optional<Grant> grant(ResourceKind kind, String name) {
        if (!kind.named()) {
            return Optional.ofNullable(acl);
        }
        Grant exactGrant = exact.get(kind).get(name);
        return exactGrant != null ? Optional.of(exactGrant) : longestPrefix(kind, name);
    }

    Optional<Grant> longestPrefix(ResourceKind kind, String name) {
        // Every prefix of name sorts at or before name; the longest one that matches is the last such.
        for (Map.Entry<String, Grant> rule = prefixes.get(kind).floorEntry(name); rule != null;
             rule = prefixes.get(kind).lowerEntry(rule.getKey())) {
            if (name.startsWith(rule.getKey())) {
                return Optional.of(rule.getValue());
            }
        }
        return Optional.empty();
    }

    /** Whether any exact or prefix rule on a name under {@code prefix} grants what {@code test} accepts. */
    boolean anyUnder(ResourceKind kind, String prefix, Predicate<Grant> test) {
        return Stream.of(exact.get(kind), prefixes.get(kind))
                .flatMap(rules -> rules.tailMap(prefix, true).entrySet().stream()
                        .takeWhile(rule -> rule.getKey().startsWith(prefix)))
                .anyMatch(rule -> test.test(rule.getValue()));
    }

    private static RejectedException invalid(String detail) {
        return RejectedException.invalid("Failed to parse policy: " + detail);
    }
}
