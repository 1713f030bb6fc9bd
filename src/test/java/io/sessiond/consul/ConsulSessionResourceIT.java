package io.sessiond.consul;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link ConsulSessionResourceTest}'s HTTP checks against the packaged artifact: the jar in a plain
 * {@code verify}, the native executable with {@code -Dnative}.
 */
@QuarkusIntegrationTest
class ConsulSessionResourceIT extends ConsulSessionResourceTest {
}
