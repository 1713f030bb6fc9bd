package io.sessiond.kv;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SessionLockTest}'s checks against the packaged artifact (jar or native executable). */
@QuarkusIntegrationTest
class SessionLockIT extends SessionLockTest {
}
