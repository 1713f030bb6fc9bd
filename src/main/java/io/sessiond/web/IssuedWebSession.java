package io.sessiond.web;

/**
 * A session just given a new id (create, invalidate, regenerate) and the signed cookie value that carries
 * that id: the one moment the store hands out a cookie, for the application to pass on to its browser.
 */
public record IssuedWebSession(WebSessionView session, String cookie) {

    public String id() {
        return session.id();
    }
}
