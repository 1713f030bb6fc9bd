package io.sessiond.adversarial;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.sessiond.testsupport.AclDenyWithManagementToken;

/**
 * The adversarial suite with ACLs on and default policy deny: most requests carry the management token
 * (so that they reach the resources), others a read-only token, none, or a bad one.
 */
@QuarkusIntegrationTest
@TestProfile(AclDenyWithManagementToken.class)
class AdversarialRequestsAclIT extends AdversarialSuite {

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
        return AclDenyWithManagementToken.MANAGEMENT_TOKEN;
    }
}
