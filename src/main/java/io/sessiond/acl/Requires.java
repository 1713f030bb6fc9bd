package io.sessiond.acl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission a resource method needs, declared on the method: its dialect's ACL filter checks it
 * before the method runs ({@link AclDeclarations}). With ACLs on, a method that declares neither this nor
 * {@link CheckedByResource} is refused, so a new endpoint cannot be left unguarded by omission.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {

    ResourceKind kind();

    Access access();

    /** Where the request names the resource; {@link Subject#NOTHING} for {@code acl}, which names none. */
    Subject name();

    /**
     * Query parameters that make the request a listing, whose answer the method filters to what the token
     * may read instead of refusing it (Consul's KV {@code ?keys} and {@code ?recurse}).
     */
    String[] filteredWith() default {};

    /**
     * Query parameters that make the request a write on every resource under the name, so that the access
     * is needed on all of them (Consul's KV {@code DELETE ?recurse}).
     */
    String[] everythingUnderWith() default {};
}
