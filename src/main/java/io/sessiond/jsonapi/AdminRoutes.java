package io.sessiond.jsonapi;

import io.sessiond.http.PathRoute;
import io.sessiond.http.jsonapi.JsonApiErrors;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admin API's routes, before resource matching: a path works with or without {@code /v1} and with a
 * trailing {@code /} (it is rewritten to {@code /v1/...} without one); an unknown path under the admin
 * prefixes, a wrong method and a media type JSON:API forbids are answered here, as JSON:API errors. ACL
 * permissions are not here: each resource method declares its own ({@link AdminAclFilter}).
 */
public class AdminRoutes {

    enum Route {
        SESSIONS("sessions", "GET"),
        SESSION("sessions/[^/]+", "GET", "DELETE"),
        SESSION_CONNECTIONS("sessions/[^/]+/connections", "GET"),
        SESSION_SERVICES("sessions/[^/]+/relationships/services", "GET"),
        SERVICES("services", "GET"),
        SERVICE("services/[^/]+", "GET"),
        WEB_SESSIONS(WebSessionsType.NAMESPACE + "/" + WebSessionsType.NAME, "GET"),
        WEB_SESSION(WebSessionsType.NAMESPACE + "/" + WebSessionsType.NAME + "/[^/]+", "GET", "DELETE");

        private final PathRoute route;

        Route(String path, String... methods) {
            this.route = PathRoute.of(path, methods);
        }
    }

    /** Everything under {@code admin} is the admin API's; {@code web-sessions} alone is the web session store's. */
    static final Pattern ADMIN_PATH = Pattern.compile("/(?:v1/)?((?:sessions|services|"
            + WebSessionsType.NAMESPACE + ")(?:/.*)?)");

    /** Media type parameters JSON:API allows on its own media type. */
    private static final Set<String> ALLOWED_PARAMETERS = Set.of("ext", "profile");

    private final JsonApiErrors errors;

    public AdminRoutes(JsonApiErrors errors) {
        this.errors = errors;
    }

    /** The 404 text for an admin path that names none of the admin API's resources. */
    static String noResourceAt(String path) {
        return "No admin resource at '" + path + "'";
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> route(ContainerRequestContext request) {
        // The raw path: the rewritten request URI must keep the client's escapes (a decoded "%20" is no URI).
        var admin = ADMIN_PATH.matcher(request.getUriInfo().getRequestUri().getRawPath());
        if (!admin.matches()) {
            return Optional.empty();
        }
        String path = admin.group(1).replaceAll("/+$", "");
        Optional<Route> route = List.of(Route.values()).stream().filter(r -> r.route.matches(path)).findFirst();
        if (route.isEmpty()) {
            return Optional.of(errors.error(Response.Status.NOT_FOUND.getStatusCode(), noResourceAt("/v1/" + path), null));
        }
        Optional<Response> refused = route.get().route.answerMethod(request.getMethod(), "/v1/" + path,
                message -> errors.error(Response.Status.METHOD_NOT_ALLOWED.getStatusCode(), message, null));
        if (refused.isEmpty()) {
            refused = checkMediaTypes(request);
        }
        if (refused.isPresent()) {
            return refused;
        }
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        URI base = request.getUriInfo().getBaseUri();
        request.setRequestUri(base, URI.create(base.toString().replaceAll("/+$", "") + "/v1/" + path
                + (query == null ? "" : "?" + query)));
        return Optional.empty();
    }

    /**
     * JSON:API 1.1: 415 when the request's JSON:API media type has parameters other than ext/profile; 406
     * when no type in Accept is one it serves (JSON:API's without such parameters, JSON, or a wildcard).
     */
    private Optional<Response> checkMediaTypes(ContainerRequestContext request) {
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && isJsonApi(parse(contentType)) && !allowedParameters(parse(contentType))) {
            return Optional.of(errors.error(Response.Status.UNSUPPORTED_MEDIA_TYPE.getStatusCode(),
                    "Content-Type '" + contentType
                    + "': the JSON:API media type takes no parameters but ext and profile", null));
        }
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank()) {
            return Optional.empty();
        }
        for (String entry : accept.split(",")) {
            MediaType type = parse(entry);
            if (type != null && (type.isWildcardType() || type.getType().equals("application")
                    && (type.isWildcardSubtype() || type.getSubtype().equals("json") || isJsonApi(type) && allowedParameters(type)))) {
                return Optional.empty();
            }
        }
        return Optional.of(errors.error(Response.Status.NOT_ACCEPTABLE.getStatusCode(),
                "Accept '" + accept + "': this API serves "
                + JsonApiErrors.MEDIA_TYPE + " (without parameters but ext and profile) or application/json", null));
    }

    private static MediaType parse(String text) {
        try {
            return MediaType.valueOf(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isJsonApi(MediaType type) {
        return type != null && type.getType().equals("application") && type.getSubtype().equals("vnd.api+json");
    }

    /** The quality factor belongs to Accept, not to the media type. */
    private static boolean allowedParameters(MediaType type) {
        return type.getParameters().keySet().stream()
                .allMatch(name -> ALLOWED_PARAMETERS.contains(name) || name.equals("q"));
    }
}
