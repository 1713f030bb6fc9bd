package io.sessiond.http;

import io.sessiond.index.DatabaseUnreachable;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The answer to a request that failed because the database could not be reached ({@link DatabaseUnreachable}):
 * 503 with {@code Retry-After}, in the dialect of the request's path, naming the cause, instead of a 500.
 */
public final class DatabaseUnavailable {

    /** Seconds a client should wait before it tries again: about how long a restarted PostgreSQL takes to accept work. */
    public static final String RETRY_AFTER_SECONDS = "1";

    private DatabaseUnavailable() {
    }

    /** The 503 in the dialect of {@code path}: {@code message} names the cause and the error id. */
    public static Response response(ErrorFormats formats, String path, String message) {
        return Response.fromResponse(formats.response(path, 503, message))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }

    /** The client's message: what failed, why, and the id under which the log has the details. */
    public static String message(String cause, String errorId) {
        return "Database unavailable: " + cause + " (error " + errorId + ")";
    }
}
