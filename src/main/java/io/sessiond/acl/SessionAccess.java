package io.sessiond.acl;

import io.sessiond.session.Session;
import io.sessiond.session.SessionAdministration.ServiceSession;
import io.sessiond.session.SessionAdministration.ServiceSessions;
import io.sessiond.session.SessionDetails;
import io.sessiond.session.SessionReads;
import io.sessiond.session.SessionRules;
import io.sessiond.session.SessionSpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may read and write a session, for every dialect: a session is guarded by the node it is bound to
 * ({@code session:read} or {@code session:write} on the node's name), as Consul's session endpoints guard
 * it. An unknown session needs nothing, so that it answers as unknown whatever the token.
 */
@ApplicationScoped
public class SessionAccess {

    private final SessionReads sessions;
    private final SessionRules rules;

    public SessionAccess(SessionReads sessions, SessionRules rules) {
        this.sessions = sessions;
        this.rules = rules;
    }

    /**
     * The name the live session with this ID is guarded by; empty for an unknown session. One statement
     * without a transaction, so it may be called from any worker thread.
     */
    public Optional<String> nodeOf(String sessionId) {
        return sessions.findWithIndex(sessionId).sessions().stream().findFirst().map(SessionAccess::guard);
    }

    /** Creating a session needs session:write on the node it will be bound to. */
    public void requireCreate(Authorizer authorizer, SessionSpec spec) {
        authorizer.require(ResourceKind.SESSION, rules.nodeOf(spec), Access.WRITE);
    }

    /** Renewing or destroying a session needs session:write on its node. */
    public void requireWrite(Authorizer authorizer, String sessionId) {
        nodeOf(sessionId).ifPresent(node -> authorizer.require(ResourceKind.SESSION, node, Access.WRITE));
    }

    /** The sessions the token may read. */
    public Authorizer.Filtered<Session> readable(Authorizer authorizer, List<Session> found) {
        return readable(authorizer, found, SessionAccess::guard);
    }

    /** The admin API's sessions the token may read. */
    public Authorizer.Filtered<SessionDetails> readableDetails(Authorizer authorizer, List<SessionDetails> found) {
        return readable(authorizer, found, details -> guard(details.session()));
    }

    /** The sessions of {@code service} the token may read. */
    public Authorizer.Filtered<ServiceSession> readableSessionsOf(Authorizer authorizer, ServiceSessions service) {
        return readable(authorizer, service.sessions(), ServiceSession::node);
    }

    private static <T> Authorizer.Filtered<T> readable(Authorizer authorizer, List<T> items, Function<T, String> node) {
        return authorizer.filter(items, ResourceKind.SESSION, node);
    }

    private static String guard(Session session) {
        return session.node;
    }
}
