package io.sessiond.ui;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.sessiond.testsupport.AclDenyWithManagementToken;
import org.junit.jupiter.api.Test;

/**
 * The web UI's ACL flow in a real browser: ACLs on with default policy deny, a management token from the
 * configuration. No token: the UI asks for one; a read-only token sees no kill or edit control; refusals are
 * explained; a management token lists policies and tokens without a SecretID.
 */
@QuarkusIntegrationTest
@TestProfile(AclDenyWithManagementToken.class)
class WebUiAclIT {

    @Test
    void theUiAsksForATokenAndShowsOnlyWhatItMayDo() throws Exception {
        WebUiIT.BrowserTests.run("acl", AclDenyWithManagementToken.MANAGEMENT_TOKEN);
    }
}
