package io.sessiond.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Test-only Vert.x routes that fail below JAX-RS, one per dialect, for {@link RouterFailuresTest}: what a bug in a
 * Vert.x filter would do.
 */
@ApplicationScoped
public class FailingRoutes {

    static final String CONSUL = "/v1/kv/router-failure-probe";
    static final String JSON_API = "/v1/web-sessions/router-failure-probe";

    void register(@Observes Router router) {
        router.route(CONSUL).order(-1).handler(context -> context.fail(new IllegalStateException("secret internals")));
        router.route(JSON_API).order(-1).handler(context -> {
            throw new IllegalStateException("secret internals");
        });
    }
}
