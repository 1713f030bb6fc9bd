package io.sessiond.jsonapi;

import io.sessiond.http.jsonapi.JsonApiErrorFormat;
import io.sessiond.http.jsonapi.JsonApiErrors;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;

/** The admin API's paths (with or without {@code /v1}) answer errors as JSON:API error documents. */
@Singleton
@Priority(100)
public class AdminErrorFormat extends JsonApiErrorFormat {

    public AdminErrorFormat(JsonApiErrors errors) {
        super(errors);
    }

    @Override
    public boolean owns(String path) {
        return AdminRoutes.ADMIN_PATH.matcher(path).matches();
    }

    @Override
    public String unknownPath(String path) {
        return AdminRoutes.noResourceAt(path);
    }
}
