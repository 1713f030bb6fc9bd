package io.sessiond;

/**
 * A request the domain refuses because of what the client asked: the message is the text the client sees
 * (Consul's own wording where Consul has one) and the reason says whose fault and which kind.
 * Dialects turn it into their status code and document; nothing was written when it is thrown, unless a
 * subclass says what was.
 */
public class RejectedException extends RuntimeException {

    public enum Reason {
        /** The request itself is malformed or names something that must exist. */
        INVALID,
        /** What the request addresses does not exist (any more). */
        NOT_FOUND,
        /** The request is well-formed but the current state forbids it. */
        CONFLICT
    }

    private final Reason reason;

    public RejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public static RejectedException invalid(String message) {
        return new RejectedException(Reason.INVALID, message);
    }

    public static RejectedException notFound(String message) {
        return new RejectedException(Reason.NOT_FOUND, message);
    }

    public static RejectedException conflict(String message) {
        return new RejectedException(Reason.CONFLICT, message);
    }

    public Reason reason() {
        return reason;
    }
}
