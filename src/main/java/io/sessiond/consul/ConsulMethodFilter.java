package io.sessiond.consul;

import io.sessiond.http.RouteTemplates;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Answers OPTIONS and wrong methods on Consul's routes the way Consul does, before resource matching, and
 * drops Accept from the requests that go on, since Consul ignores it (JAX-RS would answer 406).
 */
public class ConsulMethodFilter {

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> checkMethod(ContainerRequestContext request, HttpServerRequest transport) {
        Optional<ConsulRoute> route = ConsulRoute.match(request.getUriInfo().getPath());
        if (route.isEmpty()) {
            return Optional.empty();
        }
        RouteTemplates.name(transport, route.get().template());
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            return Optional.of(Response.ok().header(HttpHeaders.ALLOW, route.get().allowHeader()).build());
        }
        if (route.get().allows(method)) {
            // Consul does no content negotiation: each route has one representation whatever Accept says.
            request.getHeaders().remove(HttpHeaders.ACCEPT);
            return Optional.empty();
        }
        return Optional.of(Response.fromResponse(ConsulResponses.error(405, "method " + method + " not allowed"))
                .header(HttpHeaders.ALLOW, route.get().allowHeader())
                .build());
    }
}
