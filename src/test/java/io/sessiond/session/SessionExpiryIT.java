package io.sessiond.session;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SessionExpiryTest}'s checks against the packaged artifact (jar or native executable). */
@QuarkusIntegrationTest
class SessionExpiryIT extends SessionExpiryTest {
}
