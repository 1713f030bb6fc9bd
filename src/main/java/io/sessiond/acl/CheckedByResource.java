package io.sessiond.acl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a resource method's permission is not checked before it runs, and why: the method checks
 * it itself with the request's {@link Caller}, or, for {@link Why#NO_TOKEN_NEEDED}, there is none.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CheckedByResource {

    Why value();

    enum Why {
        /** Consul requires no token: the status endpoints, the bootstrap, and token/self, which answers for the token itself. */
        NO_TOKEN_NEEDED,
        /** The resource is named in the request body: the method checks it once the body is decoded. */
        NAMED_IN_BODY,
        /**
         * A session write, which runs on the event loop where the session's node cannot be looked up: the
         * method checks session:write on it from a worker thread. Nothing is resolved before it runs.
         */
        SESSION_WRITE,
        /** A read whose answer the method filters to what the token may read (Consul filters lists rather than refusing them). */
        FILTERED_READ
    }
}
