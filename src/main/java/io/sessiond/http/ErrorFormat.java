package io.sessiond.http;

/**
 * How one dialect writes an error, for the answers given before (or around) its resources: the transport's
 * refusals, unknown paths and unexpected failures. Each dialect provides one bean; {@link ErrorFormats} picks
 * the one whose paths a request is on.
 */
public interface ErrorFormat {

    /** Whether requests to {@code path} (the raw request path, without the query) are this dialect's. */
    boolean owns(String path);

    /** The dialect's name in metrics and logs: {@code consul}, {@code admin} or {@code web}. */
    String api();

    /** The Content-Type of this dialect's error bodies. */
    String contentType();

    /** The body of an error with {@code status} whose text for the client is {@code message}. */
    String body(int status, String message);

    /** The text of the 404 for {@code path} (raw), which names no resource of this dialect. */
    String unknownPath(String path);
}
