package io.sessiond.jsonapi;

import io.sessiond.http.ErrorFormat;

/** Errors as JSON:API error documents, the format of the admin API and of the web-session API alike. */
public abstract class JsonApiErrorFormat implements ErrorFormat {

    private final JsonApiResponses responses;

    protected JsonApiErrorFormat(JsonApiResponses responses) {
        this.responses = responses;
    }

    @Override
    public String contentType() {
        return JsonApiResponses.MEDIA_TYPE;
    }

    @Override
    public String body(int status, String message) {
        return responses.errorDocument(status, message, null);
    }
}
