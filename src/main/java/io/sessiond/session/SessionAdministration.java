package io.sessiond.session;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sessiond.StoredText;
import io.sessiond.index.ChangeIndex;
import io.sessiond.index.DatabaseClock;
import io.sessiond.index.Table;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What operators do with sessions: look at them with their clients, by service, and kill them, now or
 * after a delay. Reads flush {@link SessionActivity} first, so they include every request made to this
 * instance so far.
 */
@ApplicationScoped
public class SessionAdministration {

    /** Live sessions created up to a change index, oldest first (then by ID). */
    public record Listing(long index, List<SessionDetails> sessions) {
    }

    /** A service and its live sessions, oldest first. */
    public record ServiceSessions(String name, List<ServiceSession> sessions) {
    }

    /** One of a service's live sessions, with the node that ACLs decide its visibility by. */
    public record ServiceSession(UUID id, String node) {
    }

    private static final String IN_CREATION_ORDER = " order by createdAt, id";

    /** Whether session ?1 is stored, hence alive (see SessionExpiry). */
    private static final String IS_ALIVE = "SELECT 1 FROM sessions WHERE id = ?1";
    /** Stops session ?1 in ?2 seconds, unless an earlier stop is pending; the stop time caps its expiry. */
    private static final String STOP_AFTER = """
            UPDATE sessions SET
            stop_requested_at = coalesce(stop_requested_at, clock_timestamp()),
            stop_at = least(stop_at, clock_timestamp() + make_interval(secs => ?2)),
            expires_at = least(expires_at, clock_timestamp() + make_interval(secs => ?2))
            WHERE id = ?1 RETURNING *""";

    private final SessionReads reads;
    private final SessionWrites writes;
    private final SessionActivity activity;
    private final SessionSweeper sweeper;
    private final ChangeIndex changeIndex;
    private final DatabaseClock clock;
    private final EntityManager em;

    public SessionAdministration(SessionReads reads, SessionWrites writes, SessionActivity activity,
                                 SessionSweeper sweeper, ChangeIndex changeIndex,
                                 DatabaseClock clock, EntityManager em) {
        this.reads = reads;
        this.writes = writes;
        this.activity = activity;
        this.sweeper = sweeper;
        this.changeIndex = changeIndex;
        this.clock = clock;
        this.em = em;
    }

    /**
     * Live sessions created up to change index {@code createdUpTo} (default: the current one). Every
     * session created later has a larger create index, so a listing bounded by the index of its first page
     * stays the same set across pages while sessions are being created, and new sessions sort last.
     */
    public Listing list(OptionalLong createdUpTo) {
        activity.flush();
        long index = createdUpTo.orElseGet(() -> changeIndex.current(Table.SESSIONS));
        List<Session> found = Session.list("createIndex <= ?1" + IN_CREATION_ORDER, index);
        return new Listing(index, details(found));
    }

    public Optional<SessionDetails> find(String id) {
        activity.flush();
        return reads.find(id).map(session -> details(List.of(session)).get(0));
    }

    /** Services that live sessions were created on, by name. */
    public List<ServiceSessions> services() {
        List<Session> live = Session.list("order by service, createdAt, id");
        Map<String, List<ServiceSession>> byService = live.stream().collect(Collectors.groupingBy(
                session -> session.service, LinkedHashMap::new,
                Collectors.mapping(SessionAdministration::serviceSession, Collectors.toList())));
        return byService.entrySet().stream().map(e -> new ServiceSessions(e.getKey(), e.getValue())).toList();
    }

    /**
     * The service {@code name}, if any live session was created on it. A name PostgreSQL cannot store
     * ({@link StoredText}) names no service, and is not sent to it.
     */
    public Optional<ServiceSessions> service(String name) {
        if (StoredText.problem(name).isPresent()) {
            return Optional.empty();
        }
        List<Session> live = Session.list("service = ?1" + IN_CREATION_ORDER, name);
        return live.isEmpty() ? Optional.empty()
                : Optional.of(new ServiceSessions(name, live.stream().map(SessionAdministration::serviceSession).toList()));
    }

    private static ServiceSession serviceSession(Session session) {
        return new ServiceSession(session.id, session.node);
    }

    /**
     * Ends the session now, exactly as a Consul destroy does (group-committed with them); false if it was
     * not live. Waits for the commit: the admin API answers from a worker thread.
     */
    public boolean kill(String id) {
        return writes.destroy(id).toCompletableFuture().join();
    }

    /**
     * Schedules the session's end {@code delaySeconds} from now (an earlier pending stop wins). The stop time
     * is stored and caps the session's expiry, so whichever instance's sweeper comes first invalidates it,
     * and no renewal can move it; this instance's sweeper is told once it is committed. Empty if the session
     * is not live.
     */
    public Optional<SessionDetails> stopAfter(String id, long delaySeconds) {
        Optional<SessionDetails> stopping = QuarkusTransaction.requiringNew().call(() -> stop(id, delaySeconds));
        stopping.ifPresent(stopped -> sweeper.dueIn(Duration.ofSeconds(delaySeconds)));
        return stopping;
    }

    private Optional<SessionDetails> stop(String id, long delaySeconds) {
        Optional<UUID> uuid = SessionRules.parseId(id);
        // Looked up first without a lock (nor an entity, which the update below must load fresh), so that
        // stopping an unknown session moves no index.
        if (uuid.isEmpty() || em.createNativeQuery(IS_ALIVE).setParameter(1, uuid.get())
                .getResultList().isEmpty()) {
            return Optional.empty();
        }
        changeIndex.advance(Table.SESSIONS);
        @SuppressWarnings("unchecked")
        List<Session> stopped = em.createNativeQuery(STOP_AFTER, Session.class)
                .setParameter(1, uuid.get())
                .setParameter(2, (double) delaySeconds)
                .getResultList();
        if (stopped.isEmpty()) {
            changeIndex.nothingChanged();
            return Optional.empty();
        }
        return Optional.of(details(stopped).get(0));
    }

    private List<SessionDetails> details(List<Session> found) {
        Instant now = clock.now();
        Map<UUID, List<SessionConnection>> connections = activity.connectionsOf(
                        found.stream().map(session -> session.id).toList()).stream()
                .collect(Collectors.groupingBy(connection -> connection.session));
        return found.stream()
                .map(session -> new SessionDetails(session, connections.getOrDefault(session.id, List.of()), now))
                .toList();
    }
}
