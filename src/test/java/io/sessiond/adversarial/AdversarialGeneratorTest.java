package io.sessiond.adversarial;

import io.sessiond.adversarial.Routes.Dialect;
import io.sessiond.adversarial.Routes.Route;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adversarial suite's own parts, without a server: route discovery, generation, dialect of a path. */
class AdversarialGeneratorTest {

    @Test
    void routesOfEveryDialectAreFoundInTheResourceClasses() {
        List<Route> routes = Routes.discover();
        Map<String, Dialect> prefixes = Routes.prefixes(routes);
        assertEquals(Map.ofEntries(
                Map.entry("/v1/kv", Dialect.CONSUL), Map.entry("/v1/session", Dialect.CONSUL),
                Map.entry("/v1/catalog", Dialect.CONSUL), Map.entry("/v1/health", Dialect.CONSUL),
                Map.entry("/v1/agent", Dialect.CONSUL), Map.entry("/v1/status", Dialect.CONSUL),
                Map.entry("/v1/acl", Dialect.CONSUL), Map.entry("/v1/internal", Dialect.CONSUL), Map.entry("/v1/sessions", Dialect.JSON_API),
                Map.entry("/v1/services", Dialect.JSON_API), Map.entry("/v1/admin", Dialect.JSON_API),
                Map.entry("/v1/web-sessions", Dialect.WEB_SESSION)), prefixes);
        assertTrue(routes.stream().anyMatch(route -> route.method().equals("PUT") && route.template().equals("/v1/kv/{key: .*}")));
        assertTrue(routes.stream().anyMatch(route -> route.method().equals("POST")
                && route.template().equals("/v1/web-sessions/{id}/lock")));
        assertEquals(List.of("id"), routes.stream().filter(route -> route.template().equals("/v1/sessions/{id}/connections"))
                .findFirst().orElseThrow().parameters());
    }

    @Test
    void everyRouteGetsEveryMutationFromOneSeed() {
        List<Route> routes = Routes.discover();
        FuzzState state = new FuzzState("sessiond-test");
        state.sessions.add("5d610a73-e635-4de8-ad6a-bafe2b212c1d");
        state.webSessions.add("83f6e6c85b596070548d221248904108");
        JqwikSession.start();
        try {
            RequestGenerator generator = new RequestGenerator(state, false);
            Random random = new Random(1);
            Set<String> seen = new HashSet<>();
            Set<Mutation> mutations = EnumSet.noneOf(Mutation.class);
            for (int i = 0; i < 6000; i++) {
                FuzzRequest request = generator.next(routes.get(i % routes.size()), random);
                seen.add(request.route().toString());
                mutations.add(request.mutation());
                assertTrue(request.target().startsWith("/"), request.describe());
            }
            assertEquals(routes.size(), seen.size());
            assertEquals(EnumSet.allOf(Mutation.class), mutations);
        } finally {
            JqwikSession.finish();
        }
    }

    @Test
    void theDialectOfAPathIsTheOneOfItsPrefixAfterDotSegments() {
        Map<String, Dialect> prefixes = Routes.prefixes(Routes.discover());
        assertEquals(Dialect.CONSUL, AdversarialSuite.dialectOf("/v1/kv/a?raw", prefixes));
        assertEquals(Dialect.JSON_API, AdversarialSuite.dialectOf("/v1/sessions/x", prefixes));
        assertEquals(Dialect.CONSUL, AdversarialSuite.dialectOf("/v1/session/list", prefixes));
        assertEquals(Dialect.WEB_SESSION, AdversarialSuite.dialectOf("/v1/kv/%2e%2e/web-sessions/a", prefixes));
        assertNull(AdversarialSuite.dialectOf("/v1/../../etc/passwd", prefixes));
    }
}
