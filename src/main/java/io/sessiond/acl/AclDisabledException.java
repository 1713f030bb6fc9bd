package io.sessiond.acl;

/** An ACL API call while ACLs are disabled; Consul answers 401 {@code ACL support disabled}. */
public class AclDisabledException extends RuntimeException {

    public AclDisabledException() {
        super("ACL support disabled", null, false, false);
    }
}
