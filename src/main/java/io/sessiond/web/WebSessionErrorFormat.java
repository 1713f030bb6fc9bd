package io.sessiond.web;

import io.sessiond.http.ErrorFormat;
import io.sessiond.jsonapi.JsonApiResponses;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/** The web-session API answers errors as the admin API's JSON:API error documents. */
@ApplicationScoped
@Priority(100)
public class WebSessionErrorFormat implements ErrorFormat {

    private final JsonApiResponses responses;

    public WebSessionErrorFormat(JsonApiResponses responses) {
        this.responses = responses;
    }

    @Override
    public boolean owns(String path) {
        return WebSessionRoutes.owns(path);
    }

    @Override
    public String contentType() {
        return JsonApiResponses.MEDIA_TYPE;
    }

    @Override
    public String body(int status, String message) {
        return responses.errorDocument(status, message, null);
    }

    @Override
    public String unknownPath(String path) {
        return WebSessionRoutes.noResourceAt(path);
    }
}
