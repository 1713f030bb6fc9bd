package io.sessiond.consul;

import io.sessiond.session.SessionClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Who sent a Consul request: the socket's address and port (Quarkus' {@code quarkus.http.proxy.*} settings
 * decide whether proxy headers replace it), named by the {@code X-Sessiond-Client} header when the client
 * gives one, so that a client with a pool of connections counts as one.
 */
final class ConsulClients {

    static final String CLIENT_HEADER = "X-Sessiond-Client";

    private ConsulClients() {
    }

    static SessionClient of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        String address = remote.hostAddress() != null ? remote.hostAddress() : remote.host();
        return SessionClient.named(request.getHeader(CLIENT_HEADER), address, Math.max(remote.port(), 0));
    }
}
