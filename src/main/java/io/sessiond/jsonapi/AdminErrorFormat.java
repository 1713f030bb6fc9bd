package io.sessiond.jsonapi;

import io.sessiond.http.ErrorFormat;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/** The admin API's paths (with or without {@code /v1}) answer errors as JSON:API error documents. */
@ApplicationScoped
@Priority(100)
public class AdminErrorFormat implements ErrorFormat {

    private final JsonApiResponses responses;

    public AdminErrorFormat(JsonApiResponses responses) {
        this.responses = responses;
    }

    @Override
    public boolean owns(String path) {
        return AdminRoutes.ADMIN_PATH.matcher(path).matches();
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
        return AdminRoutes.noResourceAt(path);
    }
}
