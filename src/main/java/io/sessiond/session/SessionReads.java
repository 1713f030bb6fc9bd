package io.sessiond.session;

import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.util.List;
import java.util.Optional;

/** The reads behind Consul's session endpoints: live sessions by ID, by node, all of them. */
@ApplicationScoped
public class SessionReads {

    /*
     * The session reads behind every Consul session endpoint are plain SQL rather than HQL: the first
     * translation of an HQL query costs a native executable tens of milliseconds, which a first request
     * after start-up would pay.
     */
    private static final String FIND_ALIVE = """
            SELECT * FROM sessions WHERE id = ?1
            AND (expires_at IS NULL OR expires_at > now()) ORDER BY id""";
    private static final String LIST_ALIVE_ON_NODE = """
            SELECT * FROM sessions WHERE lower(node) = lower(?1)
            AND (expires_at IS NULL OR expires_at > now()) ORDER BY id""";
    private static final String LIST_ALIVE = """
            SELECT * FROM sessions
            WHERE (expires_at IS NULL OR expires_at > now()) ORDER BY id""";

    private final ChangeIndex changeIndex;
    private final EntityManager em;
    private final SessionStore store;

    public SessionReads(ChangeIndex changeIndex, EntityManager em, SessionStore store) {
        this.changeIndex = changeIndex;
        this.em = em;
        this.store = store;
    }

    /** What one read saw: sessions and the sessions table's change index, from one snapshot. */
    public record Snapshot(List<Session> sessions, long index) {
    }

    /**
     * The live session with this ID (case-insensitive, as Consul's IDs are), or none, with the index of
     * the sessions table: one statement, needing no transaction.
     */
    public Snapshot findWithIndex(String id) {
        return store.findAlive(SessionRules.parseId(id).orElse(null));
    }

    /** The live session with this ID (case-insensitive, as Consul's IDs are). */
    public Optional<Session> find(String id) {
        return SessionRules.parseId(id).flatMap(uuid -> alive(FIND_ALIVE, uuid).stream().findFirst());
    }

    /** Live sessions bound to {@code node} (case-insensitive), ordered by ID. */
    public List<Session> listByNode(String node) {
        return alive(LIST_ALIVE_ON_NODE, node);
    }

    /** All live sessions, ordered by ID. */
    public List<Session> list() {
        return alive(LIST_ALIVE, null);
    }

    /** The change index of the sessions table, for {@code X-Consul-Index}. */
    public long index() {
        return changeIndex.current(Table.SESSIONS);
    }

    /** The sessions {@code sql} (one of the reads above, with at most the one parameter {@code ?1}) finds. */
    private List<Session> alive(String sql, Object parameter) {
        Query query = em.createNativeQuery(sql, Session.class);
        if (parameter != null) {
            query.setParameter(1, parameter);
        }
        @SuppressWarnings("unchecked")
        List<Session> found = query.getResultList();
        return found;
    }
}
