package io.sessiond.ui;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * The web UI's ACL flow in a real browser: ACLs on with default policy deny, a management token from the
 * configuration. No token: the UI asks for one; a read-only token sees no kill or edit control; refusals are
 * explained; a management token lists policies and tokens without a SecretID.
 */
@QuarkusIntegrationTest
@TestProfile(WebUiAclIT.AclDeny.class)
class WebUiAclIT {

    static final String MANAGEMENT_TOKEN = "0d3c8f5e-4b1a-4c2d-9e8f-7a6b5c4d3e2f";

    public static class AclDeny implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "sessiond.acl.enabled", "true",
                    "sessiond.acl.default-policy", "deny",
                    "sessiond.acl.initial-management-token", MANAGEMENT_TOKEN);
        }
    }

    @Test
    void theUiAsksForATokenAndShowsOnlyWhatItMayDo() throws Exception {
        WebUiIT.BrowserTests.run("acl", MANAGEMENT_TOKEN);
    }
}
