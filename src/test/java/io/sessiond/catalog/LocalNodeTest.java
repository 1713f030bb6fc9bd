package io.sessiond.catalog;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.sessiond.config.SessiondConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    ClusterClock clusterClock;

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
        // A second LocalNode under a node name nobody registered, not yet started: its registration is what the
        // waiter waits for, and the node is missing until that registration commits.
        String name = "local-node-test-" + UUID.randomUUID();
        LocalNodeRegistration startingRegistration = new LocalNodeRegistration();
        LocalNode starting = new LocalNode(named(name), startingRegistration, catalogRegistration, liveness, clusterClock);
        assertTrue(catalog.node(name).isEmpty(), "the node is not registered before its start-up");
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(startingRegistration::awaitRegistration);

        assertThrows(TimeoutException.class, () -> waiter.get(200, TimeUnit.MILLISECONDS),
                "nothing is registered yet: the waiter still waits");

        starting.register(new StartupEvent());
        waiter.get(10, TimeUnit.SECONDS);
        assertTrue(startingRegistration.registration().toCompletableFuture().isDone());
        // The waiter returned, so the registration is committed: another transaction sees the node and its check.
        assertTrue(catalog.node(name).isPresent(), "the node is in the catalog once the waiter returned");
        assertEquals(CheckStatus.PASSING.wire(), catalog.checksOfNode(name).stream()
                .filter(check -> check.checkId.equals(CheckLiveness.SERF_HEALTH)).findFirst().orElseThrow().status);
        catalogRegistration.deregisterNode(name);
    }

    /** This server's configuration, but for the node name. */
    private SessiondConfig named(String nodeName) {
        return (SessiondConfig) Proxy.newProxyInstance(SessiondConfig.class.getClassLoader(), new Class<?>[]{SessiondConfig.class},
                (proxy, method, args) -> method.getName().equals("nodeName") && method.getParameterCount() == 0
                        ? Optional.of(nodeName)
                        : method.invoke(config, args));
    }
}
