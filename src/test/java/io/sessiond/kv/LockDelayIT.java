package io.sessiond.kv;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link LockDelayTest}'s checks against the packaged artifact (jar or native executable). */
@QuarkusIntegrationTest
class LockDelayIT extends LockDelayTest {
}
