package io.sessiond.websession;

import io.sessiond.acl.AccessControl;
import io.sessiond.acl.AccessDeniedException;
import io.sessiond.acl.AclDeclarations;
import io.sessiond.acl.Caller;
import io.sessiond.acl.Subject;
import io.sessiond.http.jsonapi.JsonApiErrors;
import io.sessiond.web.WebSessionConfig;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.ext.Provider;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * ACL enforcement for the web-session API, with the tokens of every other dialect: the permission declared
 * on the matched resource method (its reads need {@code web_session:read} on the store, everything else
 * {@code web_session:write}), checked before it runs; a method without one is refused. A refusal is this
 * API's error document whose detail is Consul's text.
 */
@Provider
@WebSessionApi
@Priority(Priorities.AUTHORIZATION)
public class WebSessionAclFilter implements ContainerRequestFilter {

    /** The subjects the web-session API's endpoints name their resources by. */
    public static final Set<Subject> SUBJECTS = EnumSet.of(Subject.NOTHING, Subject.WEB_SESSION_STORE);

    private final AccessControl accessControl;
    private final Caller caller;
    private final JsonApiErrors errors;
    private final ResourceInfo resource;

    public WebSessionAclFilter(AccessControl accessControl, Caller caller, JsonApiErrors errors,
                               ResourceInfo resource) {
        this.accessControl = accessControl;
        this.caller = caller;
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
                        case WEB_SESSION_STORE -> Optional.of(WebSessionConfig.STORE_NAME);
                        default -> throw new IllegalStateException("not among SUBJECTS: " + subject);
                    });
        } catch (AccessDeniedException e) {
            request.abortWith(errors.error(403, e.getMessage(), null));
        }
    }
}
