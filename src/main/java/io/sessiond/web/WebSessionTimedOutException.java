package io.sessiond.web;

import io.sessiond.RejectedException;

/**
 * A request named a session that has idled past its timeout: to the client it is not found, like any unknown
 * id. Unlike other refusals it follows a write: the request deleted the timed-out row (the stored data goes
 * at the first request that finds it, not at the next sweep), and the transaction commits that delete
 * ({@code dontRollbackOn}) before the refusal reaches the client.
 */
public class WebSessionTimedOutException extends RejectedException {

    WebSessionTimedOutException(String message) {
        super(Reason.NOT_FOUND, message);
    }
}
