package io.sessiond.client;

/** Told when a session this client holds is lost; called once, on the client's renewal thread. */
@FunctionalInterface
public interface SessionListener {

    void onLost(String sessionId, Throwable cause);
}
