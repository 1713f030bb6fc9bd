package io.sessiond.acl;

/**
 * Where a request names the resource a {@link Requires} permission is on. Each dialect's ACL filter
 * resolves the subjects its endpoints use, and refuses any other (see {@link AclDeclarations}).
 */
public enum Subject {
    /** No resource is named: the {@code acl} permission. */
    NOTHING,
    /** This instance's own node (Consul's agent endpoints). */
    THIS_NODE,
    /** The KV key in a Consul KV path. */
    KV_KEY,
    /**
     * The node of the session whose id is the path's {@code {id}} ({@link SessionAccess#nodeOf}); an unknown
     * session needs nothing (it stays a 404).
     */
    SESSION_NODE,
    /** The service named by the path's {@code {name}}. */
    SERVICE_NAME,
    /** The web-session store. */
    WEB_SESSION_STORE
}
