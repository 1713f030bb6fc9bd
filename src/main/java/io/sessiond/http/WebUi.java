package io.sessiond.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web UI's static files ({@code META-INF/resources/ui/}, served by Quarkus in the jar and the native
 * executable alike) are public: they hold no data, and every request they make carries the user's own token to
 * the APIs, which check it. This filter only gives them the answers a browser page needs: {@code /ui} redirects
 * to {@code /ui/} (its relative links need the slash), the files are revalidated on each load (an upgraded or
 * live-reloaded UI shows at once), and the page may load nothing from elsewhere nor be framed (a framed page
 * could be clicked into killing sessions).
 */
@ApplicationScoped
public class WebUi {

    static final String PATH = "/ui";
    /** After the transport's checks (TransportGuard), before any route. */
    private static final int PRIORITY = 100;
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext context) {
        String path = context.request().path();
        if (path == null || !path.equals(PATH) && !path.startsWith(PATH + "/")) {
            context.next();
            return;
        }
        HttpMethod method = context.request().method();
        if (path.equals(PATH) && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            String query = context.request().query();
            context.response().setStatusCode(308)
                    .putHeader(HttpHeaders.LOCATION, PATH + "/" + (query == null ? "" : "?" + query)).end();
            return;
        }
        context.addHeadersEndHandler(done -> context.response().headers()
                .set(HttpHeaders.CACHE_CONTROL, "no-cache")
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer"));
        context.next();
    }
}
