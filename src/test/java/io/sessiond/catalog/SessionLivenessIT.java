package io.sessiond.catalog;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SessionLivenessTest}'s checks against the packaged artifact (jar or native executable). */
@QuarkusIntegrationTest
class SessionLivenessIT extends SessionLivenessTest {
}
