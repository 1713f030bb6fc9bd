package io.sessiond.acl;

/**
 * The kinds of resource a rule names, with Consul's rule names: {@code key "a/b"} matches one name exactly,
 * {@code key_prefix "a/"} every name starting with it. {@code acl} names no resource: its rule is a bare
 * policy. {@code web_session} (by web-session store name) is sessiond's own.
 */
public enum ResourceKind {
    KEY("key"),
    SESSION("session"),
    NODE("node"),
    SERVICE("service"),
    AGENT("agent"),
    WEB_SESSION("web_session"),
    ACL("acl");

    private final String wire;

    ResourceKind(String wire) {
        this.wire = wire;
    }

    /** The rule name for one exact name, and the resource in Consul's denial message. */
    public String wire() {
        return wire;
    }

    String prefixRule() {
        return wire + "_prefix";
    }

    boolean named() {
        return this != ACL;
    }
}
