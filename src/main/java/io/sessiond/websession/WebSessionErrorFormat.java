package io.sessiond.websession;

import io.sessiond.http.jsonapi.JsonApiErrorFormat;
import io.sessiond.http.jsonapi.JsonApiErrors;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;

/** The web-session API answers errors as the admin API's JSON:API error documents. */
@Singleton
@Priority(100)
public class WebSessionErrorFormat extends JsonApiErrorFormat {

    public WebSessionErrorFormat(JsonApiErrors responses) {
        super(responses);
    }

    @Override
    public boolean owns(String path) {
        return WebSessionRoutes.owns(path);
    }

    @Override
    public String unknownPath(String path) {
        return WebSessionRoutes.noResourceAt(path);
    }
}
