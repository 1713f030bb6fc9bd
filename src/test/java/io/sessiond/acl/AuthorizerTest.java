package io.sessiond.acl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.sessiond.acl.AuthorizerTest.Decision.NOTHING;
import static io.sessiond.acl.AuthorizerTest.Decision.READ_ONLY;
import static io.sessiond.acl.AuthorizerTest.Decision.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ACL decision table (docs/acl.md), on {@link Authorizer} over parsed {@link Rules}, without a server:
 * every rule kind, exact against prefix rules, the longest prefix, deny precedence between the policies of
 * one token, the default policy, and {@code acl}, which only a rule grants.
 */
class AuthorizerTest {

    private static final String ACCESSOR = "3e330b7e-9c54-4948-9236-f0d0146b7a3c";
    /** What {@code sessiond.acl.default-policy=allow} and {@code deny} make of the default (AccessControl). */
    private static final Grant ALLOW_BY_DEFAULT = Grant.WRITE;
    private static final Grant DENY_BY_DEFAULT = Grant.DENY;

    // Every rule kind that names a resource: its exact rule and its _prefix rule.

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "ACL", mode = EnumSource.Mode.EXCLUDE)
    void anExactRuleDecidesForItsNameOnly(ResourceKind kind) {
        assertDecides(token(DENY_BY_DEFAULT, rule(kind.wire(), "web-1", "read")), kind, Map.of("web-1", READ_ONLY,
                "web-10", NOTHING, "web-", NOTHING, "web", NOTHING, "", NOTHING, "WEB-1", NOTHING));
    }

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "ACL", mode = EnumSource.Mode.EXCLUDE)
    void aPrefixRuleDecidesForEveryNameStartingWithIt(ResourceKind kind) {
        assertDecides(token(DENY_BY_DEFAULT, rule(kind.wire() + "_prefix", "web-", "write")), kind, Map.of(
                "web-", WRITE, "web-1", WRITE, "web-1/x", WRITE,
                "web", NOTHING, "x-web-1", NOTHING, "", NOTHING, "WEB-1", NOTHING));
    }

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "ACL", mode = EnumSource.Mode.EXCLUDE)
    void theEmptyPrefixMatchesEveryName(ResourceKind kind) {
        assertDecides(token(DENY_BY_DEFAULT, rule(kind.wire() + "_prefix", "", "read")), kind,
                Map.of("", READ_ONLY, "a", READ_ONLY, "web-1/x", READ_ONLY));
    }

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "ACL", mode = EnumSource.Mode.EXCLUDE)
    void aRuleGuardsItsOwnKindOnly(ResourceKind kind) {
        Authorizer token = token(DENY_BY_DEFAULT, rule(kind.wire() + "_prefix", "", "write"), rule(kind.wire(), "a", "write"));
        for (ResourceKind other : ResourceKind.values()) {
            if (other != kind) {
                assertNothing(token, other, "a");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "ACL", mode = EnumSource.Mode.EXCLUDE)
    void aMatchingRuleDecidesUnderTheAllowDefault(ResourceKind kind) {
        Authorizer token = token(ALLOW_BY_DEFAULT, rules(kind.wire(), "denied", "deny", "read", "read"),
                rule(kind.wire() + "_prefix", "hidden/", "deny"));
        assertDecides(token, kind, Map.of("denied", NOTHING, "read", READ_ONLY, "hidden/a", NOTHING,
                "anything-else", WRITE));
    }

    // Exact against prefix, and the longest prefix.

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "ACL", mode = EnumSource.Mode.EXCLUDE)
    void anExactRuleBeatsEveryPrefixRule(ResourceKind kind) {
        Authorizer token = token(DENY_BY_DEFAULT,
                rules(kind.wire() + "_prefix", "", "write", "app/", "write", "app/secret", "write", "locked/", "deny"),
                rules(kind.wire(), "app/secret", "deny", "app/shared", "read", "locked/open", "write"));
        assertDecides(token, kind, Map.of("app/secret", NOTHING, "app/secret2", WRITE, "app/shared", READ_ONLY,
                "locked/open", WRITE, "locked/other", NOTHING));
    }

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "ACL", mode = EnumSource.Mode.EXCLUDE)
    void theLongestMatchingPrefixBeatsShorterOnes(ResourceKind kind) {
        Authorizer token = token(DENY_BY_DEFAULT,
                rules(kind.wire() + "_prefix", "", "write", "app/", "deny", "app/public/", "read"));
        assertDecides(token, kind, Map.of("other", WRITE, "app", WRITE, "app/x", NOTHING, "app/public", NOTHING,
                "app/public/", READ_ONLY, "app/public/x", READ_ONLY));
    }

    /** Longer prefixes that sort between a name and its own prefixes but do not match it are passed over. */
    @Test
    void aLongerPrefixThatDoesNotMatchIsPassedOver() {
        Authorizer token = token(DENY_BY_DEFAULT,
                rules("key_prefix", "app/", "read", "app/a", "deny", "app/az", "write", "app/b/", "write"));
        assertDecides(token, ResourceKind.KEY, Map.of("app/b", READ_ONLY, "app/c", READ_ONLY, "app/ab", NOTHING,
                "app/azz", WRITE, "app/b/c", WRITE));
    }

    // Two policies of one token.

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "ACL", mode = EnumSource.Mode.EXCLUDE)
    void betweenTwoPoliciesDenyBeatsAllThenWriteBeatsRead(ResourceKind kind) {
        for (String rule : List.of(kind.wire(), kind.wire() + "_prefix")) {
            for (Grant defaultPolicy : List.of(ALLOW_BY_DEFAULT, DENY_BY_DEFAULT)) {
                assertNothing(token(defaultPolicy, rule(rule, "x", "write"), rule(rule, "x", "deny")), kind, "x");
                assertNothing(token(defaultPolicy, rule(rule, "x", "deny"), rule(rule, "x", "write")), kind, "x");
                assertNothing(token(defaultPolicy, rule(rule, "x", "read"), rule(rule, "x", "deny")), kind, "x");
                assertWrite(token(defaultPolicy, rule(rule, "x", "read"), rule(rule, "x", "write")), kind, "x");
                assertWrite(token(defaultPolicy, rule(rule, "x", "write"), rule(rule, "x", "read")), kind, "x");
                assertReadOnly(token(defaultPolicy, rule(rule, "x", "read"), rule(rule, "x", "read")), kind, "x");
            }
        }
    }

    /**
     * Policies merge name by name; the merged rules then decide as one policy's would. So a deny on a prefix
     * in one policy does not beat another policy's exact rule, or its longer prefix, under that prefix.
     */
    @Test
    void mergedPoliciesDecideAsOnePolicyWould() {
        Authorizer token = token(DENY_BY_DEFAULT, rule("key_prefix", "app/", "deny"), rule("key", "app/open", "write"),
                rule("key_prefix", "app/public/", "read"));
        assertWrite(token, ResourceKind.KEY, "app/open");
        assertReadOnly(token, ResourceKind.KEY, "app/public/x");
        assertNothing(token, ResourceKind.KEY, "app/other");
    }

    @Test
    void aPolicyWithoutRulesChangesNothing() {
        Authorizer token = token(DENY_BY_DEFAULT, rule("key", "a", "read"), "", "{}");
        assertReadOnly(token, ResourceKind.KEY, "a");
        assertNothing(token, ResourceKind.KEY, "b");
    }

    // The default policy, and acl.

    @ParameterizedTest
    @EnumSource(value = ResourceKind.class, names = "ACL", mode = EnumSource.Mode.EXCLUDE)
    void whereNoRuleAppliesTheDefaultPolicyDecides(ResourceKind kind) {
        assertWrite(token(ALLOW_BY_DEFAULT), kind, "anything");
        assertNothing(token(DENY_BY_DEFAULT), kind, "anything");
        Authorizer otherName = token(ALLOW_BY_DEFAULT, rule(kind.wire(), "guarded", "deny"));
        assertWrite(otherName, kind, "unguarded");
        Authorizer otherKindOnly = token(DENY_BY_DEFAULT, rule(otherKind(kind).wire() + "_prefix", "", "write"));
        assertNothing(otherKindOnly, kind, "anything");
    }

    @Test
    void aclIsNeverGrantedByDefault() {
        for (Grant defaultPolicy : List.of(ALLOW_BY_DEFAULT, DENY_BY_DEFAULT)) {
            Authorizer token = token(defaultPolicy, "{\"key_prefix\": {\"\": {\"policy\": \"write\"}},"
                    + " \"session_prefix\": {\"\": {\"policy\": \"write\"}}}");
            assertNothing(token, ResourceKind.ACL, "");
        }
        AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                () -> token(ALLOW_BY_DEFAULT).require(Permission.acl(Access.READ)));
        assertEquals("Permission denied: token with AccessorID '" + ACCESSOR + "' lacks permission 'acl:read'",
                refused.getMessage());
    }

    @Test
    void onlyAnAclRuleGrantsAcl() {
        for (Grant defaultPolicy : List.of(ALLOW_BY_DEFAULT, DENY_BY_DEFAULT)) {
            assertReadOnly(token(defaultPolicy, "{\"acl\": \"read\"}"), ResourceKind.ACL, "");
            assertWrite(token(defaultPolicy, "{\"acl\": \"write\"}"), ResourceKind.ACL, "");
            assertNothing(token(defaultPolicy, "{\"acl\": \"deny\"}"), ResourceKind.ACL, "");
            assertWrite(token(defaultPolicy, "{\"acl\": \"read\"}", "{\"acl\": \"write\"}"), ResourceKind.ACL, "");
            assertNothing(token(defaultPolicy, "{\"acl\": \"write\"}", "{\"acl\": \"deny\"}"), ResourceKind.ACL, "");
            assertReadOnly(token(defaultPolicy, rule("key", "a", "write"), "{\"acl\": \"read\"}"), ResourceKind.ACL, "");
        }
    }

    @Test
    void anAclRuleGrantsNothingElse() {
        Authorizer token = token(DENY_BY_DEFAULT, "{\"acl\": \"write\"}");
        for (ResourceKind kind : ResourceKind.values()) {
            if (kind != ResourceKind.ACL) {
                assertNothing(token, kind, "");
            }
        }
    }

    @Test
    void theUnrestrictedAuthorizerAllowsEverything() {
        Authorizer unrestricted = Authorizer.unrestricted();
        for (ResourceKind kind : ResourceKind.values()) {
            assertWrite(unrestricted, kind, "");
            unrestricted.requireUnder(kind, "", Access.WRITE);
        }
    }

    // How a refusal reads, everything under a prefix, and filtering.

    @Test
    void aRefusalIsConsulsTextWithTheNameGoQuoted() {
        Authorizer token = token(DENY_BY_DEFAULT);
        assertEquals(ACCESSOR, token.accessorId());
        AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                () -> token.require(ResourceKind.KEY, "a\"b\\c", Access.WRITE));
        assertEquals("Permission denied: token with AccessorID '" + ACCESSOR + "' lacks permission 'key:write'"
                + " on \"a\\\"b\\\\c\"", refused.getMessage());
    }

    /** Consul's KeyWritePrefix: the rule covering the prefix grants it and no rule under the prefix grants less. */
    @Test
    void everythingUnderAPrefixNeedsTheAccessOnEveryRuleUnderIt() {
        Authorizer token = token(DENY_BY_DEFAULT, "{\"key_prefix\": {\"\": {\"policy\": \"write\"},"
                + " \"app/locked/\": {\"policy\": \"read\"}}, \"key\": {\"app/secret\": {\"policy\": \"deny\"}}}");
        token.requireUnder(ResourceKind.KEY, "other/", Access.WRITE);
        token.requireUnder(ResourceKind.KEY, "app/open/", Access.WRITE);
        token.requireUnder(ResourceKind.KEY, "app/locked/", Access.READ);
        assertUnderRefused(token, "app/", Access.READ);
        assertUnderRefused(token, "app/", Access.WRITE);
        assertUnderRefused(token, "app/locked/", Access.WRITE);
        assertUnderRefused(token, "", Access.WRITE);
        assertUnderRefused(token, "app/s", Access.READ);
        token.require(Permission.everythingUnder(ResourceKind.KEY, "other/", Access.WRITE));
        assertThrows(AccessDeniedException.class,
                () -> token.require(Permission.everythingUnder(ResourceKind.KEY, "app/", Access.WRITE)));
    }

    @Test
    void everythingUnderAPrefixNeedsThePrefixItselfCovered() {
        Authorizer token = token(DENY_BY_DEFAULT, rule("key_prefix", "app/sub/", "write"));
        token.requireUnder(ResourceKind.KEY, "app/sub/", Access.WRITE);
        assertUnderRefused(token, "app/", Access.WRITE);
        token(ALLOW_BY_DEFAULT).requireUnder(ResourceKind.KEY, "app/", Access.WRITE);
        Authorizer exactOnPrefix = token(ALLOW_BY_DEFAULT, rule("key", "app/", "read"));
        assertUnderRefused(exactOnPrefix, "app/", Access.WRITE);
    }

    @Test
    void aFilteredListKeepsWhatTheTokenMayReadAndSaysWhetherAnythingWasLeftOut() {
        Authorizer token = token(DENY_BY_DEFAULT, rule("node_prefix", "web-", "read"), rule("node", "web-2", "deny"));
        Authorizer.Filtered<String> filtered = token.filter(List.of("web-1", "web-2", "db-1", "web-3"),
                ResourceKind.NODE, name -> name);
        assertEquals(List.of("web-1", "web-3"), filtered.items());
        assertTrue(filtered.removedAny());
        Authorizer.Filtered<String> all = token.filter(List.of("web-1", "web-3"), ResourceKind.NODE, name -> name);
        assertEquals(List.of("web-1", "web-3"), all.items());
        assertFalse(all.removedAny());
        List<String> items = List.of("a", "b");
        Authorizer.Filtered<String> unrestricted = Authorizer.unrestricted().filter(items, ResourceKind.NODE, name -> name);
        assertSame(items, unrestricted.items());
        assertFalse(unrestricted.removedAny());
    }

    private static Authorizer token(Grant defaultPolicy, String... policies) {
        Rules rules = Arrays.stream(policies).map(Rules::parse).reduce(Rules.NONE, Rules::merge);
        return Authorizer.forToken(ACCESSOR, rules, defaultPolicy);
    }

    /** One policy with one rule: {@code {"<rule>": {"<name>": {"policy": "<policy>"}}}}. */
    static String rule(String rule, String name, String policy) {
        return rules(rule, name, policy);
    }

    /** One policy with rules of one kind: {@code namesAndPolicies} alternates a name and its policy. */
    static String rules(String rule, String... namesAndPolicies) {
        StringBuilder policy = new StringBuilder("{\"").append(rule).append("\": {");
        for (int i = 0; i < namesAndPolicies.length; i += 2) {
            policy.append(i == 0 ? "" : ", ").append('"').append(namesAndPolicies[i]).append("\": {\"policy\": \"")
                    .append(namesAndPolicies[i + 1]).append("\"}");
        }
        return policy.append("}}").toString();
    }

    private static ResourceKind otherKind(ResourceKind kind) {
        return kind == ResourceKind.KEY ? ResourceKind.NODE : ResourceKind.KEY;
    }

    enum Decision { WRITE, READ_ONLY, NOTHING }

    private static void assertDecides(Authorizer token, ResourceKind kind, Map<String, Decision> expected) {
        expected.forEach((name, decision) -> {
            switch (decision) {
                case WRITE -> assertWrite(token, kind, name);
                case READ_ONLY -> assertReadOnly(token, kind, name);
                case NOTHING -> assertNothing(token, kind, name);
            }
        });
    }

    private static void assertWrite(Authorizer token, ResourceKind kind, String name) {
        assertTrue(token.allows(kind, name, Access.READ), kind + ":read on \"" + name + "\"");
        assertTrue(token.allows(kind, name, Access.WRITE), kind + ":write on \"" + name + "\"");
        token.require(kind, name, Access.WRITE);
    }

    private static void assertReadOnly(Authorizer token, ResourceKind kind, String name) {
        assertTrue(token.allows(kind, name, Access.READ), kind + ":read on \"" + name + "\"");
        assertFalse(token.allows(kind, name, Access.WRITE), "no " + kind + ":write on \"" + name + "\"");
        token.require(kind, name, Access.READ);
        assertThrows(AccessDeniedException.class, () -> token.require(kind, name, Access.WRITE));
    }

    private static void assertNothing(Authorizer token, ResourceKind kind, String name) {
        assertFalse(token.allows(kind, name, Access.READ), "no " + kind + ":read on \"" + name + "\"");
        assertFalse(token.allows(kind, name, Access.WRITE), "no " + kind + ":write on \"" + name + "\"");
        assertThrows(AccessDeniedException.class, () -> token.require(kind, name, Access.READ));
    }

    private static void assertUnderRefused(Authorizer token, String prefix, Access access) {
        AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                () -> token.requireUnder(ResourceKind.KEY, prefix, access), prefix);
        assertTrue(refused.getMessage().endsWith("lacks permission 'key:" + access.wire() + "' on \"" + prefix + "\""),
                refused.getMessage());
    }
}
