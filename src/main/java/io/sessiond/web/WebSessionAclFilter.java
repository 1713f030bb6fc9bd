package io.sessiond.web;

import io.sessiond.acl.Access;
import io.sessiond.acl.AccessControl;
import io.sessiond.acl.AccessDeniedException;
import io.sessiond.acl.Caller;
import io.sessiond.acl.ResourceKind;
import io.sessiond.jsonapi.JsonApiResponses;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * ACL enforcement for the web-session API, with the tokens of every other dialect: its reads (a session
 * by id, the current one) need {@code web_session:read} on the store, everything else (create, save,
 * touch, invalidate, regenerate, delete, lock, unlock) {@code web_session:write}. A refusal is this API's
 * error document whose detail is Consul's text.
 */
@Provider
@WebSessionApi
@Priority(Priorities.AUTHORIZATION)
public class WebSessionAclFilter implements ContainerRequestFilter {

    private final AccessControl accessControl;
    private final Caller caller;
    private final JsonApiResponses errors;

    public WebSessionAclFilter(AccessControl accessControl, Caller caller, JsonApiResponses errors) {
        this.accessControl = accessControl;
        this.caller = caller;
        this.errors = errors;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!accessControl.enabled()) {
            return;
        }
        String method = request.getMethod();
        Access access = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) ? Access.READ : Access.WRITE;
        try {
            caller.authorizer().require(ResourceKind.WEB_SESSION, WebSessionConfig.STORE_NAME, access);
        } catch (AccessDeniedException e) {
            request.abortWith(errors.error(403, e.getMessage(), null));
        }
    }
}
