package io.sessiond.acl;

import io.sessiond.RejectedException;

/** What a rule grants on the resources it matches: Consul's {@code policy = "read" | "write" | "deny"}. */
public enum Grant {
    READ, WRITE, DENY;

    static Grant parse(String value, String where) {
        return switch (value == null ? "" : value) {
            case "read" -> READ;
            case "write" -> WRITE;
            case "deny" -> DENY;
            default -> throw RejectedException.invalid(
                    "Failed to parse policy: invalid policy \"" + value + "\" for " + where);
        };
    }

    boolean allows(Access access) {
        return this == WRITE || (this == READ && access == Access.READ);
    }

    /** Two policies of one token with a rule on the same name: deny beats all, then write beats read. */
    static Grant merge(Grant a, Grant b) {
        if (a == DENY || b == DENY) {
            return DENY;
        }
        return a == WRITE || b == WRITE ? WRITE : READ;
    }
}
