package io.sessiond.operations;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link HealthTest} against the packaged artifact: the probes of the jar and of the native executable.
 */
@QuarkusIntegrationTest
class HealthIT extends HealthTest {
}
