package io.sessiond.websession;

import io.sessiond.http.PathRoute;
import io.sessiond.http.jsonapi.JsonApiErrors;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Optional;

/**
 * The web-session API's routes, before resource matching: an unknown path under {@code /v1/web-sessions/}
 * (404), a wrong method (405 with {@code Allow}) and OPTIONS are answered here, as this API's error documents,
 * instead of JAX-RS's empty answers. Must list what {@link WebSessionResource} declares.
 */
public class WebSessionRoutes {

    private static final String PREFIX = "/v1/web-sessions";

    private enum Route {
        SESSIONS("", "POST"),
        CURRENT("/current", "GET"),
        SESSION("/[^/]+", "GET", "PUT", "DELETE"),
        TOUCH("/[^/]+/touch", "POST"),
        INVALIDATE("/[^/]+/invalidate", "POST"),
        REGENERATE("/[^/]+/regenerate", "POST"),
        LOCK("/[^/]+/lock", "POST", "DELETE");

        private final PathRoute route;

        Route(String path, String... methods) {
            this.route = PathRoute.of(path, methods);
        }
    }

    private final JsonApiErrors errors;

    public WebSessionRoutes(JsonApiErrors errors) {
        this.errors = errors;
    }

    /** Whether the raw request path is this API's. */
    static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** The 404 text for a path under this API's prefix that names none of its resources. */
    static String noResourceAt(String path) {
        return "No web-session resource at '" + path + "'";
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> route(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (!owns(path)) {
            return Optional.empty();
        }
        // A trailing slash names the same resource, as JAX-RS matches it.
        String rest = path.substring(PREFIX.length()).replaceFirst("/$", "");
        // The literal "current" precedes the {id} routes, as in JAX-RS matching.
        Optional<Route> route = List.of(Route.values()).stream().filter(r -> r.route.matches(rest)).findFirst();
        if (route.isEmpty()) {
            return Optional.of(errors.error(Response.Status.NOT_FOUND.getStatusCode(), noResourceAt(path), null));
        }
        return route.get().route.answerMethod(request.getMethod(), path,
                message -> errors.error(Response.Status.METHOD_NOT_ALLOWED.getStatusCode(), message, null));
    }
}
