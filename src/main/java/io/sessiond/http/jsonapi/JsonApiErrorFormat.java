package io.sessiond.http.jsonapi;

import io.sessiond.http.ErrorFormat;

/** Errors as JSON:API error documents, the format of the admin API and of the web-session API alike. */
public abstract class JsonApiErrorFormat implements ErrorFormat {

    private final JsonApiErrors errors;

    protected JsonApiErrorFormat(JsonApiErrors errors) {
        this.errors = errors;
    }

    @Override
    public String contentType() {
        return JsonApiErrors.MEDIA_TYPE;
    }

    @Override
    public String body(int status, String message) {
        return errors.errorDocument(status, message, null);
    }
}
