package io.sessiond.jsonapi;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The admin API's refusals as JSON:API error documents (the Consul paths keep their plain-text errors). */
public class JsonApiExceptionMapper {

    private final JsonApiResponses responses;

    public JsonApiExceptionMapper(JsonApiResponses responses) {
        this.responses = responses;
    }

    @ServerExceptionMapper
    public Response refused(JsonApiException e) {
        return responses.error(e.status().getStatusCode(), e.getMessage(), e.parameter());
    }
}
