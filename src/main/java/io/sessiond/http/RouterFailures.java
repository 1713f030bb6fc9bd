package io.sessiond.http;

import io.sessiond.index.DatabaseUnreachable;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;

/**
 * Failures below JAX-RS (in a Vert.x handler or filter, where no exception mapper runs) are answered in the
 * path's dialect like {@link UnexpectedErrorMapper}'s, instead of by Quarkus's error handler, whose body carries
 * the exception's text in neither dialect.
 */
@ApplicationScoped
public class RouterFailures {

    private static final Logger LOG = Logger.getLogger(RouterFailures.class);

    private final ErrorFormats formats;

    public RouterFailures(ErrorFormats formats) {
        this.formats = formats;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        if (context.response().headWritten()) {
            context.next();
            return;
        }
        ErrorFormat format = formats.of(context.request().path());
        Optional<String> unreachable = context.failure() == null ? Optional.empty()
                : DatabaseUnreachable.cause(context.failure());
        if (unreachable.isPresent()) {
            String id = UUID.randomUUID().toString();
            LOG.warnf("Error %s: the database is unreachable (%s: %s), answering %s %s with 503", id, unreachable.get(),
                    context.failure(), context.request().method(), context.request().path());
            context.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
                    .putHeader(HttpHeaders.RETRY_AFTER, DatabaseUnavailable.RETRY_AFTER_SECONDS)
                    .end(format.body(503, DatabaseUnavailable.message(unreachable.get(), id)));
            return;
        }
        int status = context.statusCode() >= 400 && context.statusCode() < 500 ? context.statusCode() : 500;
        String message;
        if (status == 500) {
            String id = UUID.randomUUID().toString();
            LOG.errorf(context.failure(), "Error %s: unexpected failure answering %s %s", id, context.request().method(),
                    context.request().path());
            message = "Internal server error (error " + id + ")";
        } else {
            message = status + " " + io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
        }
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
                .end(format.body(status, message));
    }
}
