package io.sessiond.consul;

import io.sessiond.RejectedException;
import io.sessiond.acl.AccessDeniedException;
import io.sessiond.acl.AclDisabledException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors in Consul's form: a status and a plain-text body with Consul's own wording. */
public class ConsulExceptionMappers {

    @ServerExceptionMapper
    public Response rejected(RejectedException e) {
        int status = switch (e.reason()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
        };
        return ConsulResponses.error(status, e.getMessage());
    }

    /** Consul's 403: {@code Permission denied: ...} or {@code ACL not found}. */
    @ServerExceptionMapper
    public Response denied(AccessDeniedException e) {
        return ConsulResponses.error(403, e.getMessage());
    }

    @ServerExceptionMapper
    public Response aclDisabled(AclDisabledException e) {
        return ConsulResponses.error(401, e.getMessage());
    }

    @ServerExceptionMapper
    public Response tooLarge(ValueTooLargeException e) {
        return ConsulResponses.error(413, e.getMessage());
    }
}
