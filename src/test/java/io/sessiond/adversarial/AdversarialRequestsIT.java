package io.sessiond.adversarial;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The adversarial suite against the packaged artifact (the jar in a plain {@code verify}, the native
 * executable with {@code -Dnative}) with ACLs off, the default.
 */
@QuarkusIntegrationTest
class AdversarialRequestsIT extends AdversarialSuite {

    @Override
    int requests() {
        return 6500;
    }

    @Override
    boolean aclEnabled() {
        return false;
    }
}
