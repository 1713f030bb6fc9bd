package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.session.SessionAdministration.ServiceSession;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** {@code services}: the services (applications) live sessions were created on, related to those sessions. */
@Singleton
class ServicesType extends ResourceType {

    static final String NAME = "services";

    ServicesType(JsonApiDocuments documents) {
        super(NAME, Set.of("session_count", SessionsType.NAME), documents);
    }

    /** The service {@code name} with {@code sessions}: those of its sessions the caller may read. */
    ObjectNode resource(String name, List<ServiceSession> sessions, Rendering rendering) {
        ObjectNode resource = documents.resource(NAME, name, rendering.link(NAME, name));
        resource.putObject("attributes").put("session_count", sessions.size());
        ObjectNode related = resource.putObject("relationships").putObject(SessionsType.NAME);
        // The related resources are the sessions collection filtered by this service.
        related.putObject("links").put("related", rendering.link(SessionsType.NAME) + "?filter%5B" + NAME + "%5D="
                + URLEncoder.encode(name, StandardCharsets.UTF_8));
        ArrayNode data = related.putArray("data");
        sessions.forEach(session -> data.add(documents.identifier(SessionsType.NAME, session.id().toString())));
        return resource;
    }
}
