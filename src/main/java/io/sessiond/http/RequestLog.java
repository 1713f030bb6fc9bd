package io.sessiond.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.sessiond.config.SessiondConfig;
import io.sessiond.metrics.SessiondMetrics;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.regex.Pattern;

/**
 * What every HTTP request came to, seen once at the edge for all dialects: a refusal by the ACLs (403, in any
 * dialect) is counted as {@link SessiondMetrics#ACL_DENIALS}, and with {@code sessiond.access-log.enabled}
 * each request is logged in one line (category {@code io.sessiond.access}). The line never carries a secret:
 * a {@code ?token=} value and a web session's ID in its path (what its cookie carries) are masked, and no
 * header is logged.
 */
@ApplicationScoped
public class RequestLog {

    /** Right after the transport guard, so that its refusals are logged too. */
    private static final int PRIORITY = 999_999;

    private static final Logger ACCESS = Logger.getLogger("io.sessiond.access");
    static final String MASK = "<hidden>";

    /** A {@code token} query parameter's value, wherever it is in the query. */
    private static final Pattern TOKEN_PARAMETER = Pattern.compile("(?<=^|&)(token=)[^&]*");
    /** The ID segment of a web session's paths, in both APIs. */
    private static final Pattern WEB_SESSION_ID = Pattern.compile("(/v1/(?:admin/)?web-sessions/)[^/?]+");

    private final ErrorFormats formats;
    private final SessiondMetrics metrics;
    private final boolean accessLog;

    public RequestLog(ErrorFormats formats, SessiondMetrics metrics, SessiondConfig config) {
        this.formats = formats;
        this.metrics = metrics;
        this.accessLog = config.accessLog().enabled();
    }

    void register(@Observes Filters filters) {
        filters.register(this::observe, PRIORITY);
    }

    private void observe(RoutingContext context) {
        long started = System.nanoTime();
        HttpServerRequest request = context.request();
        context.addEndHandler(ended -> {
            int status = context.response().getStatusCode();
            if (status == 403) {
                metrics.aclDenied(formats.of(request.path()).api());
            }
            if (accessLog) {
                ACCESS.infof("%s %s %s %d %d %.1fms", request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress(),
                        request.method(), masked(request.path(), request.query()), status,
                        context.response().bytesWritten(), (System.nanoTime() - started) / 1e6);
            }
        });
        context.next();
    }

    /** The request's path and query as logged: secrets masked. */
    static String masked(String path, String query) {
        String loggedPath = WEB_SESSION_ID.matcher(path == null ? "" : path).replaceAll("$1" + MASK);
        if (query == null || query.isEmpty()) {
            return loggedPath;
        }
        return loggedPath + "?" + TOKEN_PARAMETER.matcher(query).replaceAll("$1" + MASK);
    }
}
