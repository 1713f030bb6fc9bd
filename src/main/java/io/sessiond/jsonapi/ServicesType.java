package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.session.SessionAdministration.ServiceSessions;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** {@code services}: the services (applications) live sessions were created on, related to those sessions. */
@Singleton
class ServicesType extends ResourceType {

    static final String NAME = "services";

    ServicesType(JsonApiDocuments documents) {
        super(NAME, Set.of("session_count", SessionsType.NAME), documents);
    }

    ObjectNode resource(ServiceSessions service, Rendering rendering) {
        ObjectNode resource = documents.resource(NAME, service.name(), rendering.link(NAME, service.name()));
        resource.putObject("attributes").put("session_count", service.sessionIds().size());
        ObjectNode sessions = resource.putObject("relationships").putObject(SessionsType.NAME);
        // The related resources are the sessions collection filtered by this service.
        sessions.putObject("links").put("related", rendering.link(SessionsType.NAME) + "?filter%5B" + NAME + "%5D="
                + URLEncoder.encode(service.name(), StandardCharsets.UTF_8));
        ArrayNode data = sessions.putArray("data");
        service.sessionIds().forEach(id -> data.add(documents.identifier(SessionsType.NAME, id.toString())));
        return resource;
    }
}
