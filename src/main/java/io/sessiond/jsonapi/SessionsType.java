package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.session.Session;
import io.sessiond.session.SessionDetails;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * {@code sessions}: MaxScale's Session resource mapped onto our leases (spec §10): MaxScale's attribute
 * names and state strings, plus {@code lease}; related to the service the session was created on.
 */
@Singleton
class SessionsType extends ResourceType {

    static final String NAME = "sessions";
    /** How many KV locks the session holds (their keys are the KV API's, under its own key ACLs). */
    static final String LOCKS = "locks";

    private final ConnectionsType connections;

    /** {@code user} is the authenticated principal: named here for fields and filters, absent while anonymous. */
    SessionsType(JsonApiDocuments documents, ConnectionsType connections) {
        super(NAME, Set.of("state", "user", "remote", "port", "connected", Rendering.SECONDS_ALIVE, Rendering.IDLE,
                "lease", LOCKS, ConnectionsType.NAME, "log", ServicesType.NAME), documents);
        this.connections = connections;
    }

    ObjectNode resource(SessionDetails details, Rendering rendering) {
        Session session = details.session();
        String id = session.id.toString();
        ObjectNode resource = documents.resource(NAME, id, rendering.link(NAME, id));
        ((ObjectNode) resource.get("links")).put(ConnectionsType.NAME, rendering.link(NAME, id, ConnectionsType.NAME));

        ObjectNode attributes = resource.putObject("attributes").put("state", details.state());
        if (session.remoteAddress != null) {
            attributes.put("remote", rendering.remote(session.remoteAddress)).put("port", session.remotePort);
        }
        attributes.put("connected", Rendering.date(session.createdAt))
                .put(Rendering.SECONDS_ALIVE, Rendering.seconds(details.alive()))
                .put(Rendering.IDLE, Rendering.tenths(details.idle()));
        ObjectNode lease = attributes.putObject("lease");
        if (session.ttlNs > 0) {
            lease.put("ttl", session.ttlNs / 1e9);
        }
        if (session.expiresAt != null) {
            lease.put("expires", Rendering.date(session.expiresAt));
        }
        lease.put("behavior", session.behavior)
                .put("lock_delay", session.lockDelayNs / 1e9)
                .put("name", session.name)
                .put("node", session.node);
        attributes.put(LOCKS, details.locks());
        ArrayNode attached = attributes.putArray(ConnectionsType.NAME);
        details.connections().forEach(connection -> attached.add(connections.element(connection, details.now(), rendering)));
        ArrayNode log = attributes.putArray("log");
        details.log().forEach(log::add);

        resource.putObject("relationships").set(ServicesType.NAME, servicesRelationship(session, rendering));
        return resource;
    }

    /** The one service the session was created on; its {@code self} link is served too. */
    ObjectNode servicesRelationship(Session session, Rendering rendering) {
        ObjectNode relationship = documents.object();
        relationship.putObject("links")
                .put("self", rendering.link(NAME, session.id.toString(), "relationships", ServicesType.NAME))
                .put("related", rendering.link(ServicesType.NAME, session.service));
        relationship.putArray("data").add(documents.identifier(ServicesType.NAME, session.service));
        return relationship;
    }
}
