package io.sessiond.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * ACLs on with default policy deny, and a management token from the configuration instead of a bootstrap: the
 * profile of the integration tests that drive the packaged application as a management token and as others.
 */
public class AclDenyWithManagementToken implements QuarkusTestProfile {

    public static final String MANAGEMENT_TOKEN = "6b1f0c3e-8d2a-4e5f-9a7b-3c4d5e6f7a8b";

    private static final Map<String, String> CONFIGURATION = Map.of("sessiond.acl.enabled", "true",
            "sessiond.acl.default-policy", "deny", "sessiond.acl.initial-management-token", MANAGEMENT_TOKEN);

    @Override
    public Map<String, String> getConfigOverrides() {
        return CONFIGURATION;
    }
}
