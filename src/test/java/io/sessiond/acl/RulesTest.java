package io.sessiond.acl;

import io.sessiond.RejectedException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.sessiond.acl.AuthorizerTest.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Rules} on their own: Consul's JSON rule syntax with every rule name docs/acl.md lists, which rule
 * decides for a name, how the rules of two policies merge, and what a policy may not say.
 */
class RulesTest {

    /** The rule names of docs/acl.md, exact and prefix, with the kind each guards. */
    private static final Map<String, ResourceKind> RULE_NAMES = Map.ofEntries(
            Map.entry("key", ResourceKind.KEY), Map.entry("key_prefix", ResourceKind.KEY),
            Map.entry("session", ResourceKind.SESSION), Map.entry("session_prefix", ResourceKind.SESSION),
            Map.entry("node", ResourceKind.NODE), Map.entry("node_prefix", ResourceKind.NODE),
            Map.entry("service", ResourceKind.SERVICE), Map.entry("service_prefix", ResourceKind.SERVICE),
            Map.entry("agent", ResourceKind.AGENT), Map.entry("agent_prefix", ResourceKind.AGENT),
            Map.entry("web_session", ResourceKind.WEB_SESSION),
            Map.entry("web_session_prefix", ResourceKind.WEB_SESSION));

    @Test
    void everyRuleNameGuardsItsKind() {
        RULE_NAMES.forEach((ruleName, kind) -> {
            Rules rules = Rules.parse(rule(ruleName, "a/", "read"));
            boolean prefix = ruleName.endsWith("_prefix");
            assertEquals(Optional.of(Grant.READ), rules.grant(kind, "a/"), ruleName);
            assertEquals(prefix ? Optional.of(Grant.READ) : Optional.empty(), rules.grant(kind, "a/b"), ruleName);
            for (ResourceKind other : ResourceKind.values()) {
                if (other != kind) {
                    assertEquals(Optional.empty(), rules.grant(other, "a/"), ruleName + " on " + other);
                }
            }
        });
        assertEquals(Optional.of(Grant.WRITE), Rules.parse("{\"acl\": \"write\"}").grant(ResourceKind.ACL, ""));
    }

    @Test
    void everyPolicyParses() {
        for (String policy : List.of("read", "write", "deny")) {
            assertEquals(Optional.of(Grant.valueOf(policy.toUpperCase())),
                    Rules.parse(rule("key", "a", policy)).grant(ResourceKind.KEY, "a"));
            assertEquals(Optional.of(Grant.valueOf(policy.toUpperCase())),
                    Rules.parse("{\"acl\": \"" + policy + "\"}").grant(ResourceKind.ACL, ""));
        }
    }

    @Test
    void noRulesGrantNothing() {
        for (String text : new String[]{null, "", "  ", "{}"}) {
            Rules rules = Rules.parse(text);
            for (ResourceKind kind : ResourceKind.values()) {
                assertEquals(Optional.empty(), rules.grant(kind, ""), kind + " of " + text);
            }
        }
    }

    /** Policies written for Consul load: its rule kinds with nothing to guard here are accepted and grant nothing. */
    @Test
    void consulRuleKindsWithNothingToGuardAreAcceptedAndGrantNothing() {
        Rules rules = Rules.parse("{\"operator\": \"write\", \"keyring\": \"read\", \"mesh\": \"write\","
                + " \"peering\": \"read\", \"event_prefix\": {\"\": {\"policy\": \"write\"}},"
                + " \"query\": {\"q\": {\"policy\": \"read\"}}, \"identity_prefix\": {\"\": {\"policy\": \"write\"}}}");
        for (ResourceKind kind : ResourceKind.values()) {
            assertEquals(Optional.empty(), rules.grant(kind, ""), kind.wire());
        }
    }

    @Test
    void whatAPolicyMayNotSay() {
        assertRefused("{\"kv\": {\"a\": {\"policy\": \"read\"}}}", "unknown rule \"kv\"");
        assertRefused("{\"acl_prefix\": {\"\": {\"policy\": \"read\"}}}", "unknown rule \"acl_prefix\"");
        assertRefused(rule("key_prefix", "a/", "list"), "invalid policy \"list\" for key_prefix \"a/\"");
        assertRefused("{\"key\": {\"a\": {}}}", "key \"a\" needs a \"policy\"");
        assertRefused("{\"key\": {\"a\": {\"policy\": 1}}}", "key \"a\" needs a \"policy\"");
        assertRefused("{\"key\": \"write\"}", "\"key\" must map names to {\"policy\": ...}");
        assertRefused("{\"acl\": {\"policy\": \"read\"}}", "\"acl\" must be \"read\", \"write\" or \"deny\"");
        assertRefused("{\"acl\": \"own\"}", "invalid policy \"own\" for acl");
        assertRefused("[]", "rules must be a JSON object");
        assertRefused("key \"a\" { policy = \"read\" }", null);
    }

    @Test
    void anExactRuleBeatsEveryPrefixAndTheLongestPrefixBeatsShorterOnes() {
        Rules rules = Rules.parse("{\"key_prefix\": {\"\": {\"policy\": \"write\"}, \"a/\": {\"policy\": \"deny\"},"
                + " \"a/b/\": {\"policy\": \"read\"}}, \"key\": {\"a/b/c\": {\"policy\": \"write\"}}}");
        assertEquals(Optional.of(Grant.WRITE), rules.grant(ResourceKind.KEY, "x"));
        assertEquals(Optional.of(Grant.DENY), rules.grant(ResourceKind.KEY, "a/x"));
        assertEquals(Optional.of(Grant.READ), rules.grant(ResourceKind.KEY, "a/b/x"));
        assertEquals(Optional.of(Grant.WRITE), rules.grant(ResourceKind.KEY, "a/b/c"));
        assertEquals(Optional.of(Grant.READ), rules.longestPrefix(ResourceKind.KEY, "a/b/c"));
    }

    /** The longest prefix, found by walking down the sorted rules, is the one a scan of every rule finds. */
    @Test
    void theLongestPrefixIsTheLongestOfAllMatchingRules() {
        Random random = new Random(24);
        for (int round = 0; round < 2_000; round++) {
            List<String> prefixes = new ArrayList<>();
            StringBuilder rules = new StringBuilder("{\"key_prefix\": {");
            for (int i = random.nextInt(8); i >= 0; i--) {
                String prefix = word(random, 4);
                if (!prefixes.contains(prefix)) {
                    rules.append(prefixes.isEmpty() ? "" : ", ").append('"').append(prefix)
                            .append("\": {\"policy\": \"").append(Grant.values()[prefixes.size() % 3].name().toLowerCase())
                            .append("\"}");
                    prefixes.add(prefix);
                }
            }
            Rules parsed = Rules.parse(rules.append("}}").toString());
            String name = word(random, 6);
            Optional<Grant> expected = prefixes.stream().filter(name::startsWith)
                    .max((a, b) -> Integer.compare(a.length(), b.length()))
                    .map(prefix -> Grant.values()[prefixes.indexOf(prefix) % 3]);
            assertEquals(expected, parsed.longestPrefix(ResourceKind.KEY, name), rules + " for \"" + name + "\"");
        }
    }

    @Test
    void twoPoliciesMergeNameByNameDenyFirstThenWrite() {
        Grant[] grants = Grant.values();
        for (Grant a : grants) {
            for (Grant b : grants) {
                Grant expected = a == Grant.DENY || b == Grant.DENY ? Grant.DENY
                        : a == Grant.WRITE || b == Grant.WRITE ? Grant.WRITE : Grant.READ;
                for (String ruleName : List.of("key", "key_prefix")) {
                    Rules merged = Rules.parse(rule(ruleName, "a", wire(a))).merge(Rules.parse(rule(ruleName, "a", wire(b))));
                    assertEquals(Optional.of(expected), merged.grant(ResourceKind.KEY, "a"), ruleName + " " + a + " + " + b);
                }
                Rules acl = Rules.parse("{\"acl\": \"" + wire(a) + "\"}").merge(Rules.parse("{\"acl\": \"" + wire(b) + "\"}"));
                assertEquals(Optional.of(expected), acl.grant(ResourceKind.ACL, ""), "acl " + a + " + " + b);
            }
        }
        Rules disjoint = Rules.parse(rule("key", "a", "read")).merge(Rules.parse(rule("key", "b", "deny")))
                .merge(Rules.NONE);
        assertEquals(Optional.of(Grant.READ), disjoint.grant(ResourceKind.KEY, "a"));
        assertEquals(Optional.of(Grant.DENY), disjoint.grant(ResourceKind.KEY, "b"));
    }

    @Test
    void anyUnderSeesExactAndPrefixRulesUnderThePrefixOnly() {
        Rules rules = Rules.parse("{\"key_prefix\": {\"a/\": {\"policy\": \"write\"}, \"a/b/\": {\"policy\": \"read\"}},"
                + " \"key\": {\"a/c\": {\"policy\": \"deny\"}, \"b\": {\"policy\": \"deny\"}}}");
        assertTrue(rules.anyUnder(ResourceKind.KEY, "a/", grant -> grant == Grant.READ));
        assertTrue(rules.anyUnder(ResourceKind.KEY, "a/", grant -> grant == Grant.DENY));
        assertTrue(rules.anyUnder(ResourceKind.KEY, "a/b/", grant -> grant == Grant.READ));
        assertFalse(rules.anyUnder(ResourceKind.KEY, "a/b/", grant -> grant != Grant.READ));
        assertFalse(rules.anyUnder(ResourceKind.KEY, "a/d", grant -> true));
        assertFalse(rules.anyUnder(ResourceKind.NODE, "", grant -> true));
    }

    private static String word(Random random, int maxLength) {
        StringBuilder word = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            word.append("ab/".charAt(random.nextInt(3)));
        }
        return word.toString();
    }

    private static String wire(Grant grant) {
        return grant.name().toLowerCase();
    }

    private static void assertRefused(String text, String detail) {
        RejectedException refused = assertThrows(RejectedException.class, () -> Rules.parse(text), text);
        assertEquals(RejectedException.Reason.INVALID, refused.reason(), text);
        if (detail == null) {
            assertTrue(refused.getMessage().startsWith("Failed to parse policy: rules are not JSON: "), refused.getMessage());
        } else {
            assertEquals("Failed to parse policy: " + detail, refused.getMessage());
        }
    }
}
