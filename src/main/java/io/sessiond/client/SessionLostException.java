package io.sessiond.client;

/** The session ended on the server (expired, destroyed, or its node or check died); it cannot be used. */
public class SessionLostException extends IllegalStateException {

    public SessionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
