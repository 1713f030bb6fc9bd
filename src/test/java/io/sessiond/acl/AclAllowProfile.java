package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** ACLs enabled with default policy allow and an initial management token from the configuration. */
public class AclAllowProfile implements QuarkusTestProfile {

    static final String INITIAL_MANAGEMENT_TOKEN = "5f4c3b2a-1d0e-4f9a-8b7c-6d5e4f3a2b1c";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "sessiond.acl.enabled", "true",
                "sessiond.acl.default-policy", "allow",
                "sessiond.acl.initial-management-token", INITIAL_MANAGEMENT_TOKEN);
    }
}
