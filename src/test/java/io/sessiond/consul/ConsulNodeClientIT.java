package io.sessiond.consul;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The npm {@code consul} client against the packaged artifact (jar, or native executable with {@code -Dnative}). */
@QuarkusIntegrationTest
class ConsulNodeClientIT extends ConsulNodeClientTest {
}
