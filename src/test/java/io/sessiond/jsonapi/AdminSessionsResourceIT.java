package io.sessiond.jsonapi;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link AdminSessionsResourceTest}'s HTTP checks against the packaged artifact (jar or native executable). */
@QuarkusIntegrationTest
class AdminSessionsResourceIT extends AdminSessionsResourceTest {
}
