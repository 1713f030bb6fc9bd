package io.sessiond.jsonapi;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link AdminWebSessionsResourceTest}'s HTTP checks against the packaged artifact (jar or native executable). */
@QuarkusIntegrationTest
class AdminWebSessionsResourceIT extends AdminWebSessionsResourceTest {
}
