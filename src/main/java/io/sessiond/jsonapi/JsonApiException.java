package io.sessiond.jsonapi;

import jakarta.ws.rs.core.Response;

/**
 * A request the admin API refuses, answered as a JSON:API error document: the status, its title, a
 * detail naming the problem and, for a bad query parameter, the parameter ({@code source.parameter}).
 */
public class JsonApiException extends RuntimeException {

    private final Response.Status status;
    private final String parameter;

    JsonApiException(Response.Status status, String detail, String parameter) {
        super(detail, null, false, false);
        this.status = status;
        this.parameter = parameter;
    }

    static JsonApiException badParameter(String parameter, String detail) {
        return new JsonApiException(Response.Status.BAD_REQUEST, detail, parameter);
    }

    static JsonApiException notFound(String detail) {
        return new JsonApiException(Response.Status.NOT_FOUND, detail, null);
    }

    Response.Status status() {
        return status;
    }

    /** The query parameter at fault; null when the fault is not in one. */
    String parameter() {
        return parameter;
    }
}
