package io.sessiond.http;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The dialect of a request path, for errors: the first {@link ErrorFormat} (highest priority first) that owns
 * the path. Consul's owns every path no other dialect does, as sessiond listens on Consul's port.
 */
@ApplicationScoped
public class ErrorFormats {

    private final List<ErrorFormat> formats;

    public ErrorFormats(@All List<ErrorFormat> formats) {
        this.formats = formats;
    }

    public ErrorFormat of(String path) {
        String raw = path == null ? "" : path;
        return formats.stream().filter(format -> format.owns(raw)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No dialect owns " + path));
    }

    /** A JAX-RS response with the error in the dialect of {@code path}. */
    public Response response(String path, int status, String message) {
        ErrorFormat format = of(path);
        return Response.status(status).header(HttpHeaders.CONTENT_TYPE, format.contentType())
                .entity(format.body(status, message)).build();
    }
}
