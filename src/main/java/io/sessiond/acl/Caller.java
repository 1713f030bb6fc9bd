package io.sessiond.acl;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;

/**
 * The token of the current HTTP request, in every dialect: {@code ?token=}, else the {@code X-Consul-Token}
 * header, else {@code Authorization: Bearer <token>} (Consul's order). Resolved once per request.
 */
@RequestScoped
public class Caller {

    /** The query parameter that carries the token, in every dialect. */
    public static final String TOKEN_PARAMETER = "token";

    private static final String BEARER = "Bearer ";

    private final HttpServerRequest request;
    private final AccessControl accessControl;
    private Authorizer authorizer;

    public Caller(HttpServerRequest request, AccessControl accessControl) {
        this.request = request;
        this.accessControl = accessControl;
    }

    /** What this request's token may do; unknown tokens are refused here ({@code ACL not found}). */
    public Authorizer authorizer() {
        if (authorizer == null) {
            authorizer = accessControl.authorize(token());
        }
        return authorizer;
    }

    /** The SecretID the request carries; empty for none (the anonymous token). */
    public String token() {
        String query = request.params().get(TOKEN_PARAMETER);
        if (query != null) {
            return query;
        }
        String header = request.getHeader("X-Consul-Token");
        if (header != null) {
            return header;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        return "";
    }
}
