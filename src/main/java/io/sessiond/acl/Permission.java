package io.sessiond.acl;

/**
 * What a request needs: {@code access} to the resource {@code kind} named {@code name}, or, with
 * {@code wholePrefix}, to every resource whose name starts with {@code name} (a recursive delete).
 */
public record Permission(ResourceKind kind, String name, Access access, boolean wholePrefix) {

    public static Permission of(ResourceKind kind, String name, Access access) {
        return new Permission(kind, name, access, false);
    }

    public static Permission everythingUnder(ResourceKind kind, String prefix, Access access) {
        return new Permission(kind, prefix, access, true);
    }

    /** {@code acl:read} or {@code acl:write}. */
    public static Permission acl(Access access) {
        return of(ResourceKind.ACL, "", access);
    }
}
