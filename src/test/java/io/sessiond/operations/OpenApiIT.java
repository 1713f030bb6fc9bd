package io.sessiond.operations;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link OpenApiTest} against the packaged artifact: its document is prepared when first asked for
 * (DeferredOpenApiDocumentService, which only the packaged application uses).
 */
@QuarkusIntegrationTest
class OpenApiIT extends OpenApiTest {
}
