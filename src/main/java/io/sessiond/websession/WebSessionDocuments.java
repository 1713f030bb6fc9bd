package io.sessiond.websession;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import io.sessiond.web.IssuedWebSession;
import io.sessiond.web.LockGrant;
import io.sessiond.web.WebSessionView;
import java.time.Instant;

/** The JSON documents of {@code /v1/web-sessions}. */
final class WebSessionDocuments {

    private WebSessionDocuments() {
    }

    /** A session as read or saved; {@code last_accessed} and {@code expires} are null when there is none. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "data", "created", "last_accessed", "accessed", "expires", "version"})
    record Session(String id, ObjectNode data, Instant created,
                   @JsonProperty("last_accessed") Instant lastAccessed, Instant accessed, Instant expires,
                   long version) {

        static Session of(WebSessionView view) {
            return new Session(view.id(), view.data(), view.created(), view.lastAccessed(), view.accessed(),
                    view.expires(), view.version());
        }
    }

    /** A session just issued under a new id, with the cookie that carries the id: the only document that has one. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "cookie", "data", "created", "last_accessed", "accessed", "expires", "version"})
    record Issued(String id, String cookie, ObjectNode data, Instant created,
                  @JsonProperty("last_accessed") Instant lastAccessed, Instant accessed, Instant expires,
                  long version) {

        static Issued of(IssuedWebSession issued) {
            WebSessionView view = issued.session();
            return new Issued(view.id(), issued.cookie(), view.data(), view.created(), view.lastAccessed(),
                    view.accessed(), view.expires(), view.version());
        }
    }

    @RegisterForReflection
    @JsonPropertyOrder({"lockToken", "expires"})
    record Lock(String lockToken, Instant expires) {

        static Lock of(LockGrant grant) {
            return new Lock(grant.token().toString(), grant.expires());
        }
    }
}
