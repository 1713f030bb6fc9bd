package io.quarkus.smallrye.openapi.runtime;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.smallrye.openapi.runtime.io.Format;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deferral itself, with one class loader as in the packaged application (the {@code @QuarkusTest}s load the
 * extension apart, so there the extension prepares at start-up): the start-up's preparation is only recorded,
 * the first request for a document runs it, once. The class path here has no built document, so the
 * extension prepares an empty one; OpenApiIT checks the real document served by the packaged artifact.
 */
class DeferredOpenApiDocumentServiceTest {

    private static final Map<OpenApiFilter.RunStage, List<String>> NO_FILTERS = Map.of(
            OpenApiFilter.RunStage.RUN, List.of(),
            OpenApiFilter.RunStage.RUNTIME_STARTUP, List.of(),
            OpenApiFilter.RunStage.RUNTIME_PER_REQUEST, List.of());

    @Test
    void theStartUpsPreparationRunsWhenADocumentIsFirstAskedFor() {
        DeferredOpenApiDocumentService documents = new DeferredOpenApiDocumentService();
        documents.prepareDocument(null, NO_FILTERS, OpenApiConstants.DEFAULT_DOCUMENT_NAME);
        assertTrue(documents.preparationPending(), "prepared at start-up instead of when asked for");

        byte[] first = documents.getDocument(OpenApiConstants.DEFAULT_DOCUMENT_NAME, Format.JSON);
        assertFalse(documents.preparationPending(), "asking for a document prepares it");
        assertArrayEquals(first, documents.getDocument(OpenApiConstants.DEFAULT_DOCUMENT_NAME, Format.JSON));
    }
}
