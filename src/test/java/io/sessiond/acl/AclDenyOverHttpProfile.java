package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * ACLs enabled with default policy deny, over plain HTTP only: what the ACL suites run against the packaged
 * artifact use, whose class path lacks the test certificate {@link AclDenyProfile} serves HTTPS with.
 */
public class AclDenyOverHttpProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("sessiond.acl.enabled", "true", "sessiond.acl.default-policy", "deny");
    }
}
