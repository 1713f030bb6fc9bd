package io.sessiond.client;

/** A request sessiond refused or could not answer: the HTTP status (0 for an I/O failure) and its message. */
public class SessiondException extends RuntimeException {

    private final int status;

    public SessiondException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status; 0 when no answer came (connection refused, timeout). */
    public int status() {
        return status;
    }

    /** Worth retrying: no answer, a server failure (5xx) or rate limiting (429). */
    public boolean isTransient() {
        return status == 0 || status == 429 || status >= 500;
    }
}
