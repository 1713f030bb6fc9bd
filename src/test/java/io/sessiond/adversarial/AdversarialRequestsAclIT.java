package io.sessiond.adversarial;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/**
 * The adversarial suite with ACLs on and default policy deny: most requests carry the management token
 * (so that they reach the resources), others a read-only token, none, or a bad one.
 */
@QuarkusIntegrationTest
@TestProfile(AdversarialRequestsAclIT.AclDeny.class)
class AdversarialRequestsAclIT extends AdversarialSuite {

    static final String MANAGEMENT_TOKEN = "6b1f0c3e-8d2a-4e5f-9a7b-3c4d5e6f7a8b";

    /** ACLs on, default policy deny, a management token from the configuration. */
    public static class AclDeny implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "sessiond.acl.enabled", "true",
                    "sessiond.acl.default-policy", "deny",
                    "sessiond.acl.initial-management-token", MANAGEMENT_TOKEN);
        }
    }

    @Override
    int requests() {
        return 3500;
    }

    @Override
    boolean aclEnabled() {
        return true;
    }

    @Override
    String managementToken() {
        return MANAGEMENT_TOKEN;
    }
}
