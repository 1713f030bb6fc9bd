package io.sessiond.jsonapi;

import io.sessiond.acl.AccessControl;
import io.sessiond.acl.AccessDeniedException;
import io.sessiond.acl.AclDeclarations;
import io.sessiond.acl.Caller;
import io.sessiond.acl.SessionAccess;
import io.sessiond.acl.Subject;
import io.sessiond.http.jsonapi.JsonApiErrors;
import io.sessiond.web.WebSessionConfig;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * ACL enforcement for the admin API with the same tokens and rules as Consul's API: the permission
 * declared on the matched resource method ({@link io.sessiond.acl.Requires} or
 * {@link io.sessiond.acl.CheckedByResource}), checked before it runs; a method without one is refused.
 * Collections are filtered by their resource to what the token may read (and say so), so that paging and
 * {@code meta.total} count only what the token sees. A refusal is a JSON:API error document whose detail
 * is Consul's text.
 */
@Provider
@AdminApi
@Priority(Priorities.AUTHORIZATION)
public class AdminAclFilter implements ContainerRequestFilter {

    /** The subjects the admin API's endpoints name their resources by. */
    public static final Set<Subject> SUBJECTS = EnumSet.of(Subject.NOTHING, Subject.SESSION_NODE,
            Subject.SERVICE_NAME, Subject.WEB_SESSION_STORE);

    private final AccessControl accessControl;
    private final Caller caller;
    private final SessionAccess sessions;
    private final JsonApiErrors errors;
    private final ResourceInfo resource;

    public AdminAclFilter(AccessControl accessControl, Caller caller, SessionAccess sessions,
                          JsonApiErrors errors, ResourceInfo resource) {
        this.accessControl = accessControl;
        this.caller = caller;
        this.sessions = sessions;
        this.errors = errors;
        this.resource = resource;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!accessControl.enabled()) {
            return;
        }
        try {
            AclDeclarations.enforce(resource.getResourceMethod(), caller,
                    request.getUriInfo().getQueryParameters().keySet(), SUBJECTS, subject -> switch (subject) {
                        case SESSION_NODE -> sessions.nodeOf(pathParameter(request));
                        case SERVICE_NAME -> Optional.ofNullable(pathParameter(request));
                        case WEB_SESSION_STORE -> Optional.of(WebSessionConfig.STORE_NAME);
                        default -> throw new IllegalStateException("not among SUBJECTS: " + subject);
                    });
        } catch (AccessDeniedException e) {
            request.abortWith(errors.error(Response.Status.FORBIDDEN.getStatusCode(), e.getMessage(), null));
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
}
