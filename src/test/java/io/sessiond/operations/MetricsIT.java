package io.sessiond.operations;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link MetricsTest} against the packaged artifact: the meters move in the jar and in the native executable.
 */
@QuarkusIntegrationTest
class MetricsIT extends MetricsTest {
}
