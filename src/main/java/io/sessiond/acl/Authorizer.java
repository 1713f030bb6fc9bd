package io.sessiond.acl;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What one token may do: the merged rules of its policies, and the default policy where none applies.
 * The {@code acl} resource is never granted by default, as in Consul: only a rule (the management
 * policy's, for instance) grants it. With ACLs disabled every request gets the unrestricted authorizer.
 */
public final class Authorizer {

    private static final Authorizer UNRESTRICTED = new Authorizer("", Rules.NONE, Grant.WRITE, true);

    /**
     * A list after the items its reader may not see were removed, and whether any was (every dialect then
     * sends {@link #HEADER}{@code : true}, as Consul does).
     */
    public record Filtered<T>(List<T> items, boolean removedAny) {

        public static final String HEADER = "X-Consul-Results-Filtered-By-ACLs";
    }

    private final String accessorId;
    private final Rules rules;
    private final Grant fallback;
    private final boolean unrestricted;

    private Authorizer(String accessorId, Rules rules, Grant fallback, boolean unrestricted) {
        this.accessorId = accessorId;
        this.rules = rules;
        this.fallback = fallback;
        this.unrestricted = unrestricted;
    }

    static Authorizer forToken(String accessorId, Rules rules, Grant fallback) {
        return new Authorizer(accessorId, rules, fallback, false);
    }

    public static Authorizer unrestricted() {
        return UNRESTRICTED;
    }

    public String accessorId() {
        return accessorId;
    }

    public boolean allows(ResourceKind kind, String name, Access access) {
        return unrestricted || rules.grant(kind, name).orElse(fallbackFor(kind)).allows(access);
    }

    /** Throws Consul's denial unless the token may {@code access} the resource. */
    public void require(ResourceKind kind, String name, Access access) {
        if (!allows(kind, name, access)) {
            throw AccessDeniedException.lacking(accessorId, kind, access, name);
        }
    }

    public void require(Permission permission) {
        if (permission.wholePrefix()) {
            requireUnder(permission.kind(), permission.name(), permission.access());
        } else {
            require(permission.kind(), permission.name(), permission.access());
        }
    }

    /**
     * For a change of everything under {@code prefix} (a recursive delete): the rule covering the prefix
     * must grant the access and no rule under it may grant less (Consul's {@code KeyWritePrefix}).
     */
    public void requireUnder(ResourceKind kind, String prefix, Access access) {
        boolean allowed = unrestricted
                || (rules.longestPrefix(kind, prefix).orElse(fallbackFor(kind)).allows(access)
                    && !rules.anyUnder(kind, prefix, grant -> !grant.allows(access)));
        if (!allowed) {
            throw AccessDeniedException.lacking(accessorId, kind, access, prefix);
        }
    }

    /** The items whose resource ({@code kind} named by {@code name}) the token may read. */
    public <T> Filtered<T> filter(List<T> items, ResourceKind kind, Function<T, String> name) {
        return filter(items, item -> allows(kind, name.apply(item), Access.READ));
    }

    /** The items {@code readable} accepts; for items guarded by more than one resource. */
    public <T> Filtered<T> filter(List<T> items, Predicate<T> readable) {
        if (unrestricted) {
            return new Filtered<>(items, false);
        }
        List<T> kept = items.stream().filter(readable).toList();
        return new Filtered<>(kept, kept.size() < items.size());
    }

    private Grant fallbackFor(ResourceKind kind) {
        return kind.named() ? fallback : Grant.DENY;
    }
}
