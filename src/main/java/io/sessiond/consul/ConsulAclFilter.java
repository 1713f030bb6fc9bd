package io.sessiond.consul;

import io.sessiond.acl.AccessControl;
import io.sessiond.acl.AclDeclarations;
import io.sessiond.acl.Caller;
import io.sessiond.acl.Subject;
import io.sessiond.catalog.LocalNode;
import io.vertx.core.http.HttpServerRequest;
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
 * ACL enforcement for Consul's API: the permission declared on the matched resource method
 * ({@link io.sessiond.acl.Requires} or {@link io.sessiond.acl.CheckedByResource}), checked before it runs;
 * a method without one is refused (403, Consul's plain text), never let through.
 */
@Provider
@ConsulApi
@Priority(Priorities.AUTHORIZATION)
public class ConsulAclFilter implements ContainerRequestFilter {

    /** The subjects Consul's endpoints name their resources by. */
    public static final Set<Subject> SUBJECTS = EnumSet.of(Subject.NOTHING, Subject.THIS_NODE, Subject.KV_KEY);

    private final AccessControl accessControl;
    private final Caller caller;
    private final LocalNode localNode;
    private final ResourceInfo resource;
    /** The request as received: a KV key is read from its raw path, as the KV resource reads it. */
    private final HttpServerRequest httpRequest;

    public ConsulAclFilter(AccessControl accessControl, Caller caller, LocalNode localNode, ResourceInfo resource,
                           HttpServerRequest httpRequest) {
        this.accessControl = accessControl;
        this.caller = caller;
        this.localNode = localNode;
        this.resource = resource;
        this.httpRequest = httpRequest;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!accessControl.enabled()) {
            return;
        }
        AclDeclarations.enforce(resource.getResourceMethod(), caller,
                request.getUriInfo().getQueryParameters().keySet(), SUBJECTS, subject -> switch (subject) {
                    case THIS_NODE -> Optional.of(localNode.name());
                    case KV_KEY -> Optional.of(ConsulPath.kvKey(httpRequest.path()));
                    default -> throw new IllegalStateException("not among SUBJECTS: " + subject);
                });
    }
}
