package io.sessiond.websession;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link WebSessionResourceTest}'s HTTP checks against the packaged artifact: the jar in a plain
 * {@code verify}, the native executable with {@code -Dnative}.
 */
@QuarkusIntegrationTest
class WebSessionResourceIT extends WebSessionResourceTest {
}
