package io.sessiond.catalog;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.config.SessiondConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This server's node registers beside the start-up, and what needs the node waits for it rather than finding
 * it missing.
 */
@QuarkusTest
class LocalNodeTest {

    @Inject
    LocalNode localNode;

    @Inject
    LocalNodeRegistration registration;

    @Inject
    CatalogRegistration catalogRegistration;

    @Inject
    CheckLiveness liveness;

    @Inject
    CatalogReads catalog;

    @Inject
    SessiondConfig config;

    @Test
    void theStartUpRegisteredThisNodeWithAPassingSerfHealthCheck() throws Exception {
        registration.registration().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertDoesNotThrow(registration::awaitRegistration);

        assertTrue(catalog.node(localNode.name()).isPresent(), "the node is in the catalog");
        HealthCheck serfHealth = catalog.checksOfNode(localNode.name()).stream()
                .filter(check -> check.checkId.equals(CheckLiveness.SERF_HEALTH)).findFirst().orElseThrow();
        assertEquals(CheckStatus.PASSING.wire(), serfHealth.status);
    }

    @Test
    void aWaiterReturnsOnlyOnceTheRegistrationCommitted() throws Exception {
        // A second LocalNode for the same node, not yet started: its registration is what the waiter waits for.
        LocalNodeRegistration startingRegistration = new LocalNodeRegistration();
        LocalNode starting = new LocalNode(config, startingRegistration, catalogRegistration, liveness);
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(startingRegistration::awaitRegistration);

        Thread.sleep(300);
        assertFalse(waiter.isDone(), "nothing is registered yet: the waiter still waits");

        starting.register(new StartupEvent());
        waiter.get(10, TimeUnit.SECONDS);
        assertTrue(startingRegistration.registration().toCompletableFuture().isDone());
        assertTrue(catalog.node(starting.name()).isPresent());
    }
}
