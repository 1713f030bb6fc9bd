package io.quarkus.smallrye.openapi.runtime;

import io.quarkus.arc.Unremovable;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.runtime.filter.AutoSecurityFilter;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SmallRye OpenAPI's document service, preparing each document when {@code /q/openapi} first asks for it
 * instead of at every start: reading and parsing the document built into the application is the largest
 * single step of the native executable's start-up that the operations extensions added, and most instances
 * never serve the document (docs/native.md). Once prepared, a document is served as Quarkus serves it.
 *
 * <p>It lives in the extension's package because the preparation it defers is package-private there; it
 * replaces the extension's bean as a CDI alternative (unremovable: only the extension looks it up, by its
 * type), and calls the extension's own preparation unchanged. Only in the packaged application (the jar and
 * the native executable), where one class loader loads the extension and this class: dev mode and the
 * {@code @QuarkusTest}s load them apart, and a package-private member is not shared across class loaders.
 */
@Alternative
@Priority(1)
@Singleton
@Unremovable
@IfBuildProfile("prod")
public class DeferredOpenApiDocumentService extends OpenApiDocumentService {

    private final List<Runnable> pendingPreparations = new ArrayList<>();

    @Override
    synchronized void prepareDocument(AutoSecurityFilter autoSecurityFilter,
                                      Map<OpenApiFilter.RunStage, List<String>> filtersByStage, String documentName) {
        pendingPreparations.add(() -> super.prepareDocument(autoSecurityFilter, filtersByStage, documentName));
    }

    @Override
    public synchronized byte[] getDocument(String documentName, Format format) {
        if (!pendingPreparations.isEmpty()) {
            pendingPreparations.forEach(Runnable::run);
            pendingPreparations.clear();
        }
        return super.getDocument(documentName, format);
    }

    /** Whether a document is still to be prepared: true from the start until {@code /q/openapi} is first asked for. */
    synchronized boolean preparationPending() {
        return !pendingPreparations.isEmpty();
    }
}
