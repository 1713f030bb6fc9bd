package io.sessiond.acl;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * ACLs enabled with default policy deny, the set-up of docs/acl.md's walk-through; HTTPS is served too, with the test-only
 * self-signed certificate in src/test/resources/tls. The default test profile keeps ACLs off.
 */
public class AclDenyProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "sessiond.acl.enabled", "true",
                "sessiond.acl.default-policy", "deny",
                "quarkus.tls.key-store.pem.0.cert", "tls/sessiond-test-cert.pem",
                "quarkus.tls.key-store.pem.0.key", "tls/sessiond-test-key.pem",
                "quarkus.http.test-ssl-port", "0");
    }
}
