package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.session.SessionAdministration.ServiceSessions;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** {@code services}: the services (applications) live sessions were created on, related to those sessions. */
@ApplicationScoped
class ServicesType implements ResourceType {

    static final String NAME = "services";

    private final JsonApiDocuments documents;

    ServicesType(JsonApiDocuments documents) {
        this.documents = documents;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> fields() {
        return Set.of("session_count", SessionsType.NAME);
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
