package io.sessiond.consul;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link BlockingQueryTest}'s checks against the packaged artifact (jar or native executable). */
@QuarkusIntegrationTest
class BlockingQueryIT extends BlockingQueryTest {
}
