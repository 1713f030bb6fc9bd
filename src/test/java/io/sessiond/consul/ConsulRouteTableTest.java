package io.sessiond.consul;

import io.sessiond.adversarial.Routes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Consul resource method is in {@link ConsulRoute}'s table, which answers OPTIONS and wrong methods and
 * drops Accept before matching: a route missing from it answered 406 to an Accept header Consul ignores.
 */
class ConsulRouteTableTest {

    @Test
    void everyConsulResourceMethodIsInTheRouteTable() throws Exception {
        List<Routes.Route> consul = Routes.discover().stream()
                .filter(route -> route.dialect() == Routes.Dialect.CONSUL).toList();
        assertTrue(consul.size() > 30, "too few Consul routes found to judge: " + consul.size());
        List<String> missing = new ArrayList<>();
        for (Routes.Route route : consul) {
            String path = route.fill(name -> "x");
            Optional<ConsulRoute> entry = ConsulRoute.match(path);
            if (entry.isEmpty() || !entry.get().allows(route.method())) {
                missing.add(route.method() + " " + route.template() + " (" + route.resourceMethod() + ")");
            }
        }
        assertEquals(List.of(), missing);
    }
}
