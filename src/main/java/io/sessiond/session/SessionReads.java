package io.sessiond.session;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * The reads behind Consul's session endpoints: sessions by ID, by node, all of them, each with the sessions
 * table's change index from the same snapshot. Every stored session is alive ({@link SessionExpiry}).
 */
@ApplicationScoped
public class SessionReads {

    /*
     * Plain SQL rather than HQL, run by SessionStore with JDBC: the first translation of an HQL query costs a
     * native executable tens of milliseconds, which a first request after start-up would pay.
     */

    private final SessionStore store;

    public SessionReads(SessionStore store) {
        this.store = store;
    }

    /** What one read saw: sessions and the sessions table's change index, from one snapshot. */
    public record Snapshot(List<Session> sessions, long index) {
    }

    /**
     * The session with this ID (case-insensitive, as Consul's IDs are), or none, with the index of the
     * sessions table: one statement, needing no transaction.
     */
    public Snapshot findWithIndex(String id) {
        return store.find(SessionRules.parseId(id).orElse(null));
    }

    /** The session with this ID (case-insensitive, as Consul's IDs are). */
    public Optional<Session> find(String id) {
        return findWithIndex(id).sessions().stream().findFirst();
    }

    /** Sessions bound to {@code node} (case-insensitive), ordered by ID, with the index: one statement. */
    public Snapshot listByNode(String node) {
        return store.list(node);
    }

    /** All sessions, ordered by ID, with the index: one statement. */
    public Snapshot list() {
        return store.list(null);
    }
}
