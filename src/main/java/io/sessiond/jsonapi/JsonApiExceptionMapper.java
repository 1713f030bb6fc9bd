package io.sessiond.jsonapi;

import io.sessiond.http.jsonapi.JsonApiErrors;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The admin API's refusals as JSON:API error documents (the Consul paths keep their plain-text errors). */
public class JsonApiExceptionMapper {

    private final JsonApiErrors errors;

    public JsonApiExceptionMapper(JsonApiErrors errors) {
        this.errors = errors;
    }

    @ServerExceptionMapper
    public Response refused(JsonApiException e) {
        return errors.error(e.status().getStatusCode(), e.getMessage(), e.parameter());
    }
}
