package io.sessiond.consul;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ConsulKvResourceTest}'s checks against the packaged artifact (jar or native executable). */
@QuarkusIntegrationTest
class ConsulKvResourceIT extends ConsulKvResourceTest {
}
