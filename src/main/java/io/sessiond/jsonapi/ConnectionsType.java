package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.session.SessionConnection;
import io.sessiond.session.SessionDetails;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Set;

/**
 * {@code connections}: the clients attached to a session. The same attributes appear in a session's
 * {@code connections} attribute (with {@code id}) and as resources of {@code /v1/sessions/{id}/connections}.
 * The clients beyond the most recent ones a session keeps are one connection in state {@code folded}, whose
 * {@code folded_clients} says how many it stands for and whose counters are theirs added up.
 */
@Singleton
class ConnectionsType extends ResourceType {

    static final String NAME = "connections";
    private static final String FOLDED_CLIENTS = "folded_clients";

    ConnectionsType(JsonApiDocuments documents) {
        super(NAME, Set.of("client", "remote", "port", "connected", Rendering.IDLE, "state", FOLDED_CLIENTS, "reads",
                "writes", SessionsType.NAME), documents);
    }

    /** The resource, related to its session. */
    ObjectNode resource(SessionConnection connection, Instant now, Rendering rendering) {
        ObjectNode resource = documents.resource(NAME, connection.id.toString(), null);
        resource.set("attributes", attributes(connection, now, rendering));
        ObjectNode session = resource.putObject("relationships").putObject(SessionsType.NAME);
        session.putObject("links").put("related", rendering.link(SessionsType.NAME, connection.session.toString()));
        session.set("data", documents.identifier(SessionsType.NAME, connection.session.toString()));
        return resource;
    }

    /** As an element of a session's {@code connections} attribute: the attributes plus the resource's ID. */
    ObjectNode element(SessionConnection connection, Instant now, Rendering rendering) {
        ObjectNode element = documents.object().put("id", connection.id.toString());
        element.setAll(attributes(connection, now, rendering));
        return element;
    }

    private ObjectNode attributes(SessionConnection connection, Instant now, Rendering rendering) {
        ObjectNode attributes = documents.object();
        if (connection.isNamed()) {
            attributes.put("client", connection.client);
        }
        attributes.put("remote", rendering.remote(connection.remoteAddress))
                .put("port", connection.remotePort)
                .put("connected", Rendering.date(connection.connectedAt))
                .put(Rendering.IDLE, Rendering.tenths(SessionDetails.idle(connection, now)))
                .put("state", connection.isFolded() ? "folded" : "attached");
        if (connection.isFolded()) {
            attributes.put(FOLDED_CLIENTS, connection.foldedClients);
        }
        return attributes.put("reads", connection.reads)
                .put("writes", connection.writes);
    }
}
