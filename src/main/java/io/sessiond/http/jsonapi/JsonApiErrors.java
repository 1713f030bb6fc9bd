package io.sessiond.http.jsonapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.RejectedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * JSON:API error documents, which the admin API and the web-session API both answer with. They live here, owned by
 * neither, so that the two dialects share them without importing each other.
 */
@ApplicationScoped
public class JsonApiErrors {

    public static final String MEDIA_TYPE = "application/vnd.api+json";

    private final ObjectMapper mapper;

    public JsonApiErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The JSON:API error document for a refusal ({@code jsonapi-sessions.md} §10): {@code status} as a
     * string, its title, the {@code detail} clients print, and {@code source.parameter} for a bad query
     * parameter (null: the fault is not in one).
     */
    public Response error(int status, String detail, String parameter) {
        return Response.status(status).type(MEDIA_TYPE).entity(errorDocument(status, detail, parameter)).build();
    }

    /** The error document alone, for answers written below JAX-RS (the transport's refusals). */
    public String errorDocument(int status, String detail, String parameter) {
        ObjectNode error = mapper.createObjectNode()
                .put("status", Integer.toString(status))
                .put("title", title(status))
                .put("detail", detail);
        if (parameter != null) {
            error.putObject("source").put("parameter", parameter);
        }
        ObjectNode document = mapper.createObjectNode();
        document.putArray("errors").add(error);
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e);
        }
    }

    /** A domain refusal: 400 for an invalid request, 404 for what does not exist, 409 for a conflict. */
    public Response rejected(RejectedException e) {
        int status = switch (e.reason()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
        };
        return error(status, e.getMessage(), null);
    }

    /** The reason phrase; WebDAV's 423 is not among the statuses Jakarta REST names. */
    private static String title(int status) {
        if (status == 423) {
            return "Locked";
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
