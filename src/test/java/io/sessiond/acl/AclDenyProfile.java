package io.sessiond.acl;

import java.util.HashMap;
import java.util.Map;

/**
 * ACLs enabled with default policy deny, the set-up of docs/acl.md's walk-through; HTTPS is served too, with the test-only
 * self-signed certificate in src/test/resources/tls. The default test profile keeps ACLs off.
 */
public class AclDenyProfile extends AclDenyOverHttpProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("quarkus.tls.key-store.pem.0.cert", "tls/sessiond-test-cert.pem");
        overrides.put("quarkus.tls.key-store.pem.0.key", "tls/sessiond-test-key.pem");
        overrides.put("quarkus.http.test-ssl-port", "0");
        return overrides;
    }
}
