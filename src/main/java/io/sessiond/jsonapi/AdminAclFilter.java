package io.sessiond.jsonapi;

import io.sessiond.acl.Access;
import io.sessiond.acl.AccessControl;
import io.sessiond.acl.AccessDeniedException;
import io.sessiond.acl.Authorizer;
import io.sessiond.acl.Caller;
import io.sessiond.acl.Permission;
import io.sessiond.acl.ResourceKind;
import io.sessiond.jsonapi.AdminRoutes.Route;
import io.sessiond.session.SessionService;
import io.sessiond.web.WebSessionConfig;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * ACL enforcement for the admin API, declared per {@link AdminRoutes} route with the same tokens and rules
 * as Consul's API. The switch covers every route, so a new route cannot be left unguarded by omission.
 * Collections are filtered by their resource to what the token may read (and say so), so that paging and
 * {@code meta.total} count only what the token sees. A refusal is a JSON:API error document whose detail
 * is Consul's text.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AdminAclFilter implements ContainerRequestFilter {

    /** A collection the resource filters by the token's read permissions. */
    private static final List<Permission> FILTERED = List.of();

    private final AccessControl accessControl;
    private final Caller caller;
    private final SessionService sessions;
    private final JsonApiResponses responses;

    public AdminAclFilter(AccessControl accessControl, Caller caller, SessionService sessions,
                          JsonApiResponses responses) {
        this.accessControl = accessControl;
        this.caller = caller;
        this.sessions = sessions;
        this.responses = responses;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!accessControl.enabled() || !(request.getProperty(AdminRoutes.ROUTE_PROPERTY) instanceof Route route)) {
            return;
        }
        try {
            // Resolved for every route, filtered ones too: an unknown token is refused before anything is read.
            Authorizer authorizer = caller.authorizer();
            required(route, pathParameter(request), request.getMethod()).forEach(authorizer::require);
        } catch (AccessDeniedException e) {
            request.abortWith(responses.error(Response.Status.FORBIDDEN.getStatusCode(), e.getMessage(), null));
        }
    }

    /**
     * The session id or service name: the third segment of the path AdminRoutes rewrote, decoded once as the
     * resources' {@code @Encoded} parameters are (RESTEasy Reactive's decoded path parameters decode a second time,
     * and it offers no undecoded ones).
     */
    private static String pathParameter(ContainerRequestContext request) {
        String[] segments = request.getUriInfo().getRequestUri().getRawPath().split("/");
        return segments.length > 3 ? URLDecoder.decode(segments[3].replace("+", "%2B"), StandardCharsets.UTF_8) : null;
    }

    private List<Permission> required(Route route, String parameter, String method) {
        return switch (route) {
            case SESSIONS, SERVICES -> FILTERED;
            case SESSION -> onSessionNode(parameter, method.equals("DELETE") ? Access.WRITE : Access.READ);
            case SESSION_CONNECTIONS, SESSION_SERVICES -> onSessionNode(parameter, Access.READ);
            case SERVICE -> List.of(Permission.of(ResourceKind.SERVICE, parameter, Access.READ));
            // One web-session store: the whole listing is readable or not, so it needs no filtering.
            case WEB_SESSIONS -> onWebSessionStore(Access.READ);
            case WEB_SESSION -> onWebSessionStore(method.equals("DELETE") ? Access.WRITE : Access.READ);
        };
    }

    private static List<Permission> onWebSessionStore(Access access) {
        return List.of(Permission.of(ResourceKind.WEB_SESSION, WebSessionConfig.STORE_NAME, access));
    }

    /** A session is guarded by its node, as in Consul; an unknown session needs nothing (it stays a 404). */
    private List<Permission> onSessionNode(String id, Access access) {
        return sessions.find(id).map(session -> List.of(Permission.of(ResourceKind.SESSION, session.node, access)))
                .orElse(List.of());
    }
}
