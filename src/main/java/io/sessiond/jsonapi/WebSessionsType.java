package io.sessiond.jsonapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.web.WebSessionSummary;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * {@code web-sessions}: the web session store's sessions as operators see them, at {@code /v1/admin/web-sessions}
 * ({@code /v1/web-sessions} is the store's own API, for applications). Times and sizes, never the data.
 */
@Singleton
class WebSessionsType extends ResourceType {

    static final String NAME = "web-sessions";
    /** The admin namespace the collection lives in, in front of {@link #NAME} in paths and links. */
    static final String NAMESPACE = "admin";

    WebSessionsType(JsonApiDocuments documents) {
        super(NAME, Set.of("created", "last_accessed", "accessed", "expires", Rendering.IDLE, "version", "data_size",
                "encrypted", "locked", "lock_expires"), documents);
    }

    /** {@code last_accessed}, {@code expires} and {@code lock_expires} are absent when there is none. */
    ObjectNode resource(WebSessionSummary session, Rendering rendering) {
        ObjectNode resource = documents.resource(NAME, session.id(), rendering.link(NAMESPACE, NAME, session.id()));
        ObjectNode attributes = resource.putObject("attributes").put("created", Rendering.date(session.created()));
        if (session.lastAccessed() != null) {
            attributes.put("last_accessed", Rendering.date(session.lastAccessed()));
        }
        attributes.put("accessed", Rendering.date(session.accessed()));
        if (session.expires() != null) {
            attributes.put("expires", Rendering.date(session.expires()));
        }
        attributes.put(Rendering.IDLE, Rendering.tenths(session.idle()))
                .put("version", session.version())
                .put("data_size", session.dataSize())
                .put("encrypted", session.encrypted())
                .put("locked", session.locked());
        if (session.locked()) {
            attributes.put("lock_expires", Rendering.date(session.lockExpires()));
        }
        return resource;
    }
}
