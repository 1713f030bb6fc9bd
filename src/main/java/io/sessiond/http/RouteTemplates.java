package io.sessiond.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The route a request is counted under by the HTTP meters (Micrometer's {@code uri} tag): the template of the
 * resource method that answered it, which Quarkus REST records once it has matched one. A request answered
 * before any matching (a transport refusal, a wrong method, OPTIONS) would be counted under its raw path, one
 * new series for every key or ID a client sends, until Micrometer's cap drops them all: such a request is
 * named by its dialect's route where the dialect knows it ({@link #name}), else {@link #UNMATCHED}.
 */
@ApplicationScoped
public class RouteTemplates {

    /** What a request answered before matching is counted under when no dialect named its route. */
    public static final String UNMATCHED = "/UNMATCHED";
    /** Where Quarkus REST records the matched template and Micrometer's HTTP binder reads it. */
    private static final String TEMPLATE_KEY = "UrlPathTemplate";
    /** Ahead of the transport guard, whose refusals are counted too. */
    private static final int PRIORITY = 1_000_001;

    void register(@Observes Filters filters) {
        filters.register(this::nameUnmatched, PRIORITY);
    }

    /** Counts the request under {@code template} unless a resource method matched later names its own. */
    public static void name(HttpServerRequest request, String template) {
        ((HttpServerRequestInternal) request).context().putLocal(TEMPLATE_KEY, template);
    }

    private void nameUnmatched(RoutingContext context) {
        String path = context.request().path();
        // The web UI's files and Quarkus's own endpoints are routes of fixed paths: their paths are their names.
        if (path != null && !path.startsWith(WebUi.PATH) && !path.startsWith("/q/")) {
            name(context.request(), UNMATCHED);
        }
        context.next();
    }
}
