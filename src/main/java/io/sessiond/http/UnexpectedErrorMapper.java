package io.sessiond.http;

import io.sessiond.index.DatabaseUnreachable;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Optional;
import java.util.UUID;

/**
 * What no dialect's own mapper handles, in the dialect of the request's path: JAX-RS's refusals keep their
 * status and get a body; anything else is our failure, a 500 (503 with Retry-After when the database cannot be
 * reached, see {@link DatabaseUnavailable}) whose
 * body names only an error id, while the log gets the id and the stack. Without it Quarkus would answer with
 * its own JSON body, in no dialect, and with the exception's text.
 */
public class UnexpectedErrorMapper {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class);

    private final ErrorFormats formats;

    public UnexpectedErrorMapper(ErrorFormats formats) {
        this.formats = formats;
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        return answer(e, request.method().name(), request.path());
    }

    Response answer(Exception e, String method, String path) {
        if (e instanceof NotFoundException unmatched && !unmatched.getResponse().hasEntity()) {
            // No resource matched: also a path a pre-matching filter accepted as its dialect's, which then
            // named nothing once decoded (an escaped "../"), is answered in that dialect.
            ErrorFormat format = formats.of(path);
            return formats.response(path, 404, format.unknownPath(path));
        }
        if (e instanceof WebApplicationException refused) {
            Response response = refused.getResponse();
            if (response.hasEntity()) {
                return response;
            }
            int status = response.getStatus();
            ErrorFormat format = formats.of(path);
            // Its headers stay (Allow on a 405); the body is the status in the dialect's form.
            return Response.fromResponse(response).type(format.contentType())
                    .entity(format.body(status, status + " " + response.getStatusInfo().getReasonPhrase())).build();
        }
        String id = UUID.randomUUID().toString();
        Optional<String> unreachable = DatabaseUnreachable.cause(e);
        if (unreachable.isPresent()) {
            // A warning without the stack: during an outage every request fails the same way.
            LOG.warnf("Error %s: the database is unreachable (%s: %s), answering %s %s with 503", id,
                    unreachable.get(), e, method, path);
            return DatabaseUnavailable.response(formats, path, DatabaseUnavailable.message(unreachable.get(), id));
        }
        LOG.errorf(e, "Error %s: unexpected failure answering %s %s", id, method, path);
        return formats.response(path, 500, "Internal server error (error " + id + ")");
    }
}
