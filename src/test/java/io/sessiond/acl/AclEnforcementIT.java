package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link AclEnforcementTest}'s checks against the packaged artifact (jar or native executable), ACLs on with
 * default policy deny.
 */
@QuarkusIntegrationTest
@TestProfile(AclDenyOverHttpProfile.class)
class AclEnforcementIT extends AclEnforcementTest {
}
