package io.sessiond.web;

/**
 * Stored session data this instance cannot read (wrong or missing encryption key, altered bytes). Our
 * failure, not the client's: it becomes a 500 that says what is wrong, never data that is silently wrong.
 */
public class UnreadableDataException extends RuntimeException {

    public UnreadableDataException(String message) {
        super(message);
    }
}
