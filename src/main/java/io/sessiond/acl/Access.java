package io.sessiond.acl;

/** What a request does to a resource. */
public enum Access {
    READ, WRITE;

    public String wire() {
        return name().toLowerCase();
    }
}
