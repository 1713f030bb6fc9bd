package io.sessiond.session;

/**
 * A client using a session: its socket address, and the name that tells it apart from other clients,
 * which is its own name when it gives one, else its address and port (a new TCP connection is then a new
 * client).
 */
public record SessionClient(String name, String remoteAddress, int port) {

    /** Identified by its socket address alone. */
    public static SessionClient atAddress(String remoteAddress, int port) {
        return new SessionClient(remoteAddress + ":" + port, remoteAddress, port);
    }

    /** Identified by the name it gave; a blank name counts as none. */
    public static SessionClient named(String name, String remoteAddress, int port) {
        return name == null || name.isBlank() ? atAddress(remoteAddress, port)
                : new SessionClient(name.strip(), remoteAddress, port);
    }

    /** Whether the client named itself rather than being known by its address. */
    public boolean isNamed() {
        return !name.equals(remoteAddress + ":" + port);
    }
}
