package io.sessiond.web;

import io.sessiond.RejectedException;

/**
 * The refusals particular to web sessions, which HTTP has statuses of their own for (412, 413, 423, 428);
 * as a {@link RejectedException} they still read as a conflict or an invalid request to a dialect that
 * knows only those.
 */
public class WebSessionRejectedException extends RejectedException {

    public enum Kind {
        /** The save named a version that is no longer current (optimistic locking). */
        STALE_VERSION(Reason.CONFLICT),
        /** Another holder's lease lock is in force. */
        LOCKED(Reason.CONFLICT),
        /** The data is larger than {@code sessiond.web.max-data-size}. */
        DATA_TOO_LARGE(Reason.INVALID),
        /** A save did not say which version it overwrites. */
        VERSION_REQUIRED(Reason.INVALID);

        private final Reason reason;

        Kind(Reason reason) {
            this.reason = reason;
        }
    }

    private final Kind kind;

    public WebSessionRejectedException(Kind kind, String message) {
        super(kind.reason, message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
