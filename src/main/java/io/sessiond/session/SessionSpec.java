package io.sessiond.session;

import java.util.List;

/**
 * What a client asks for when it creates a session, after its dialect decoded it. Null lists stay null
 * (Consul reports them as null), empty lists stay empty.
 *
 * @param node          the node to bind to; null for this server's own node
 * @param lockDelayNs   lock-delay in nanoseconds
 * @param behavior      {@code release}, {@code delete} or empty (release)
 * @param ttl           the TTL as written by the client, in Go duration syntax; empty for none
 * @param serviceChecks IDs of service checks on the node
 * @param service       the service (application) the session is for; null for the node's or {@code default}
 * @param client        who asks; null when not known (recorded as the session's origin)
 */
public record SessionSpec(String name, String node, long lockDelayNs, String behavior, String ttl,
                          List<String> nodeChecks, List<String> serviceChecks, List<String> checks,
                          String service, SessionClient client) {
}
