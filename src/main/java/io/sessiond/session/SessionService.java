package io.sessiond.session;

import io.sessiond.RejectedException;
import io.sessiond.StoredText;
import io.sessiond.catalog.CheckStatus;
import io.sessiond.catalog.LocalNode;
import io.sessiond.config.SessiondConfig;
import io.sessiond.go.GoDuration;
import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.index.WriteStamp;
import io.sessiond.kv.KvService;
import io.sessiond.metrics.SessiondMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The rules of sessions: creation and its validation, renewal, destruction, expiry and invalidation. */
@ApplicationScoped
public class SessionService {

    /** Why a session ended; logged, and later shown to operators. */
    public enum EndReason {
        /** Counted by who asked, client or operator (see {@link #destroy(String, SessiondMetrics.Cause)}). */
        DESTROYED(null),
        EXPIRED(SessiondMetrics.Cause.TTL),
        CHECK_CRITICAL(SessiondMetrics.Cause.CHECK),
        CHECK_DEREGISTERED(SessiondMetrics.Cause.CHECK),
        NODE_DEREGISTERED(SessiondMetrics.Cause.NODE);

        private final SessiondMetrics.Cause cause;

        EndReason(SessiondMetrics.Cause cause) {
            this.cause = cause;
        }

        /** The metrics' cause; null for destroys, which are counted where the cause is known. */
        SessiondMetrics.Cause cause() {
            return cause;
        }
    }

    /** What invalidating a session changes: its keys and the sessions table. */
    public static final Table[] INVALIDATION_TABLES = {Table.KVS, Table.SESSIONS};

    /** The service of sessions that name none, on a node without exactly one service. */
    public static final String DEFAULT_SERVICE = "default";

    /** Service names appear in admin URLs ({@code /v1/services/<name>}), so they stay URL-safe. */
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private static final Logger LOG = Logger.getLogger(SessionService.class);

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

    /** Whether any session is past its expiry: a look without locks. */
    private static final String ANY_EXPIRED = "SELECT 1 FROM sessions WHERE expires_at <= clock_timestamp() LIMIT 1";
    /** Ends up to :limit expired sessions, passing over rows another transaction holds. */
    private static final String END_EXPIRED = ending("""
            id = ANY(ARRAY(SELECT id FROM sessions WHERE expires_at <= clock_timestamp()
              ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED))""");
    /** Ends the sessions of :ids, which the caller has locked. */
    private static final String END_BY_ID = ending("id = ANY(:ids)");

    /** Locks the sessions on ?1 bound to any of the checks ?2, in ID order. */
    private static final String LOCK_BOUND_TO = """
            SELECT id FROM sessions WHERE node = ?1 AND (checks && CAST(?2 AS text[])
            OR node_checks && CAST(?2 AS text[]) OR service_checks && CAST(?2 AS text[])) ORDER BY id FOR UPDATE""";
    /** Locks every session on ?1, in ID order. */
    private static final String LOCK_ON_NODE = "SELECT id FROM sessions WHERE node = ?1 ORDER BY id FOR UPDATE";

    private final SessiondConfig config;
    private final LocalNode localNode;
    private final ChangeIndex changeIndex;
    private final EntityManager em;
    private final SessionStore store;
    private final GroupCommit<NewSession, Session> creates;
    private final GroupCommit<UUID, Optional<Session>> renews;
    private final GroupCommit<UUID, Boolean> destroys;
    private final SessiondMetrics metrics;

    /** A create after the checks that need no database: the session to store and the checks it binds. */
    private record NewSession(Session session, Set<String> boundChecks) {
    }

    public SessionService(SessiondConfig config, LocalNode localNode, ChangeIndex changeIndex, EntityManager em,
                          SessionStore store, TransactionManager transactions, DataSource dataSource,
                          SessiondMetrics metrics) {
        this.config = config;
        this.localNode = localNode;
        this.changeIndex = changeIndex;
        this.em = em;
        this.store = store;
        this.metrics = metrics;
        this.creates = new GroupCommit<>("create", metrics, GroupCommit.Transactions.jdbc(dataSource), this::writeCreates);
        this.renews = new GroupCommit<>("renew", metrics, GroupCommit.Transactions.singleStatement(dataSource), this::writeRenews);
        // Ending sessions goes through invalidate(), which is written for a JTA transaction (Hibernate).
        this.destroys = new GroupCommit<>("destroy", metrics, GroupCommit.Transactions.jta(transactions, dataSource), this::writeDestroys);
    }

    @PreDestroy
    void stopCommitters() {
        creates.close();
        renews.close();
        destroys.close();
    }

    /**
     * Validates {@code spec} in Consul's order and with Consul's texts, then stores the new session; the
     * stage completes once it is committed. What needs no database is checked at once, the node and the
     * checks in the batch's transaction (see {@link #writeCreates}).
     */
    public CompletionStage<Session> create(SessionSpec spec) {
        String nodeName = nodeOf(spec);
        if (nodeName.isEmpty()) {
            throw RejectedException.invalid("Must provide Node");
        }
        SessionBehavior behavior = SessionBehavior.parse(spec.behavior());
        long ttlNs = validTtl(spec.ttl());
        if (spec.lockDelayNs() < 0) {
            throw RejectedException.invalid("Invalid LockDelay '" + spec.lockDelayNs() + "', must not be negative");
        }
        if (spec.service() != null && !SERVICE_NAME.matcher(spec.service()).matches()) {
            throw RejectedException.invalid("Invalid Service '" + spec.service()
                    + "': use 1 to 128 letters, digits, '.', '_' or '-'");
        }
        requireStorableText(spec);
        Session session = new Session();
        session.id = UUID.randomUUID();
        session.name = spec.name() == null ? "" : spec.name();
        session.node = nodeName;
        session.lockDelayNs = spec.lockDelayNs();
        session.behavior = behavior.wire();
        session.ttl = spec.ttl() == null ? "" : spec.ttl();
        session.ttlNs = ttlNs;
        session.nodeChecks = toArray(spec.nodeChecks());
        session.serviceChecks = toArray(spec.serviceChecks());
        session.checks = toArray(spec.checks());
        // Null until the batch looked at the node's services (see writeCreates).
        session.service = spec.service();
        if (spec.client() != null) {
            session.remoteAddress = spec.client().remoteAddress();
            session.remotePort = spec.client().port();
        }
        // This server's node is registered beside the start-up: a session created before that waits for it.
        NewSession create = new NewSession(session, boundChecks(spec));
        return localNode.registration().thenCompose(registered -> creates.submit(create));
    }

    /** The node a session created from {@code spec} is bound to: the one it names, else this server's. */
    public String nodeOf(SessionSpec spec) {
        return spec.node() == null ? localNode.name() : spec.node();
    }

    /**
     * Resets the session's expiry to TTL x 2 from now (database time), never past a deferred kill's stop
     * time; the stage completes once that is committed. A session past its expiry is gone even before the
     * sweeper removed it, so it cannot be renewed.
     */
    public CompletionStage<Session> renew(String id) {
        return renews.submit(parseId(id).orElseThrow(() -> notFound(id)))
                .thenApply(renewed -> renewed.orElseThrow(() -> notFound(id)));
    }

    /**
     * Invalidates the session; completes, once that is committed, with whether this call ended it.
     * Destroying an unknown or already ended session is not an error for Consul; the admin API reports it
     * as not found.
     */
    public CompletionStage<Boolean> destroy(String id) {
        return destroy(id, SessiondMetrics.Cause.DESTROY);
    }

    /**
     * {@link #destroy(String)} for {@code cause}: a client's destroy or an operator's kill. Destroys are
     * counted by who asked, as each learns that it ended its session (the batch ends them together).
     */
    public CompletionStage<Boolean> destroy(String id, SessiondMetrics.Cause cause) {
        return parseId(id).map(destroys::submit).orElse(CompletableFuture.completedFuture(false))
                .thenApply(metrics.countEnded(cause));
    }

    /**
     * One transaction for a batch of creates: one index for all of them and, in the same round trip, one
     * statement that share-locks the nodes and checks the batch binds (and finds each node's service), then
     * one insert of the requests that passed. A request whose node or checks are refused gets its own
     * rejection; if all are refused, nothing is written.
     */
    private boolean writeCreates(List<GroupCommit.Pending<NewSession, Session>> batch, Connection connection)
            throws SQLException {
        Set<String> nodes = new HashSet<>();
        Set<String> checks = new HashSet<>();
        for (GroupCommit.Pending<NewSession, Session> pending : batch) {
            nodes.add(pending.request().session().node.toLowerCase(Locale.ROOT));
            checks.addAll(pending.request().boundChecks());
        }
        ChangeIndex.Stamped<Map<String, SessionStore.CreateTarget>> locked =
                changeIndex.advanceThen(connection, Table.SESSIONS, store.lockCreateTargets(connection, nodes, checks));
        WriteStamp stamp = locked.stamp();
        Map<String, SessionStore.CreateTarget> targets = locked.next();
        List<GroupCommit.Pending<NewSession, Session>> accepted = new ArrayList<>();
        for (GroupCommit.Pending<NewSession, Session> pending : batch) {
            NewSession request = pending.request();
            try {
                SessionStore.CreateTarget target = targets.get(request.session().node.toLowerCase(Locale.ROOT));
                if (target == null) {
                    throw RejectedException.invalid("apply failed: Missing node registration");
                }
                requireHealthyChecks(request.boundChecks(), target.checkStatuses());
                request.session().node = target.node();
                if (request.session().service == null) {
                    request.session().service = target.service();
                }
                accepted.add(pending);
            } catch (RejectedException e) {
                pending.reject(e);
            }
        }
        if (accepted.isEmpty()) {
            return false;
        }
        Map<UUID, Session> stored = store.insert(connection, accepted.stream().map(pending -> pending.request().session()).toList(), stamp)
                .stream().collect(Collectors.toMap(session -> session.id, Function.identity()));
        accepted.forEach(pending -> pending.answer(stored.get(pending.request().session().id)));
        return true;
    }

    /**
     * One statement renews the whole batch, its own transaction (a renewal moves no index); a request whose
     * session is not alive gets nothing back.
     */
    private boolean writeRenews(List<GroupCommit.Pending<UUID, Optional<Session>>> batch, Connection connection)
            throws SQLException {
        Map<UUID, Session> renewed = store.renew(connection, batch.stream().map(GroupCommit.Pending::request).collect(Collectors.toSet()))
                .stream().collect(Collectors.toMap(session -> session.id, Function.identity()));
        batch.forEach(pending -> pending.answer(Optional.ofNullable(renewed.get(pending.request()))));
        return !renewed.isEmpty();
    }

    /**
     * One invalidation for a batch of destroys; each request learns whether its session was ended by it.
     * Looked up first without a lock, so that destroying only unknown sessions moves no index.
     */
    private boolean writeDestroys(List<GroupCommit.Pending<UUID, Boolean>> batch, Connection connection)
            throws SQLException {
        UUID[] ids = batch.stream().map(GroupCommit.Pending::request).distinct().toArray(UUID[]::new);
        if (!store.anyStored(connection, ids)) {
            batch.forEach(pending -> pending.answer(false));
            return false;
        }
        WriteStamp stamp = changeIndex.advance(connection, INVALIDATION_TABLES);
        List<UUID> locked = store.lockForInvalidation(connection, ids);
        invalidate(locked, EndReason.DESTROYED, stamp);
        // A session destroyed twice in one batch is ended by the first of those requests only.
        Set<UUID> ended = new HashSet<>(locked);
        batch.forEach(pending -> pending.answer(ended.remove(pending.request())));
        return !locked.isEmpty();
    }

    /** What one read saw: sessions and the sessions table's change index, from one snapshot. */
    public record Snapshot(List<Session> sessions, long index) {
    }

    /**
     * The live session with this ID (case-insensitive, as Consul's IDs are), or none, with the index of
     * the sessions table: one statement, needing no transaction.
     */
    public Snapshot findWithIndex(String id) {
        return store.findAlive(parseId(id).orElse(null));
    }

    /** The live session with this ID (case-insensitive, as Consul's IDs are). */
    public Optional<Session> find(String id) {
        return parseId(id).flatMap(uuid -> alive(FIND_ALIVE, uuid).stream().findFirst());
    }

    /** Live sessions bound to {@code node} (case-insensitive), ordered by ID. */
    public List<Session> listByNode(String node) {
        return alive(LIST_ALIVE_ON_NODE, node);
    }

    /** All live sessions, ordered by ID. */
    public List<Session> list() {
        return alive(LIST_ALIVE, null);
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

    /** The change index of the sessions table, for {@code X-Consul-Index}. */
    public long index() {
        return changeIndex.current(Table.SESSIONS);
    }

    /**
     * Invalidates up to {@code batchSize} expired sessions in one transaction of its own and returns their
     * IDs. Sweepers on several instances take the change index one after the other (the write protocol),
     * each seeing what the one before removed, and a row is deleted by one transaction only, so each expired
     * session is invalidated exactly once; {@code SKIP LOCKED} passes over a row another transaction holds
     * (a connection-activity flush), for a later sweep. The expired rows are found, locked, removed and
     * their locks released by one statement (see {@link #end}).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<UUID> sweepExpired(int batchSize) {
        // A look without locks first: most sweeps find nothing, and those must not move the index.
        if (em.createNativeQuery(ANY_EXPIRED).getResultList().isEmpty()) {
            return List.of();
        }
        WriteStamp stamp = changeIndex.advance(INVALIDATION_TABLES);
        List<UUID> expired = end(END_EXPIRED, Map.of("limit", batchSize), stamp);
        if (expired.isEmpty()) {
            // Every expired row was another sweeper's: the index taken must not be seen.
            changeIndex.nothingChanged();
        }
        LOG.debugf("Invalidated %d session(s), %s", expired.size(), EndReason.EXPIRED);
        metrics.sessionsInvalidated(SessiondMetrics.Cause.TTL, expired.size());
        return expired;
    }

    /**
     * Sessions on {@code node} bound to any of {@code checkIds}, row-locked for invalidation by the caller,
     * which took the index for {@link #INVALIDATION_TABLES}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockBoundTo(String node, Collection<String> checkIds) {
        String[] ids = checkIds.toArray(String[]::new);
        @SuppressWarnings("unchecked")
        List<UUID> bound = em.createNativeQuery(LOCK_BOUND_TO)
                .setParameter(1, node)
                .setParameter(2, ids)
                .getResultList();
        return bound;
    }

    /** Every session on {@code node}, row-locked for invalidation by the caller (see {@link #lockBoundTo}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockOnNode(String node) {
        @SuppressWarnings("unchecked")
        List<UUID> onNode = em.createNativeQuery(LOCK_ON_NODE)
                .setParameter(1, node)
                .getResultList();
        return onNode;
    }

    /**
     * The one way a session ends, whatever the cause, in the caller's transaction: the locks it holds are
     * released or their keys deleted (its behavior), lock-delay starts on those keys, and the session is
     * removed. The caller took {@code stamp} for {@link #INVALIDATION_TABLES} and holds the sessions' row locks.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void invalidate(Collection<UUID> sessionIds, EndReason reason, WriteStamp stamp) {
        if (sessionIds.isEmpty()) {
            return;
        }
        end(END_BY_ID, Map.of("ids", sessionIds.toArray(UUID[]::new)), stamp);
        LOG.debugf("Invalidated %d session(s), %s: %s", sessionIds.size(), reason, sessionIds);
        metrics.sessionsInvalidated(reason.cause(), sessionIds.size());
    }

    /**
     * Runs {@code sql}, one of the statements {@link #ending} made, with its named {@code parameters};
     * returns the IDs removed.
     */
    private List<UUID> end(String sql, Map<String, Object> parameters, WriteStamp stamp) {
        Query statement = em.createNativeQuery(sql).setParameter("kvIndex", stamp.index());
        parameters.forEach(statement::setParameter);
        @SuppressWarnings("unchecked")
        List<UUID> ended = statement.getResultList();
        return ended;
    }

    /**
     * The statement that removes the sessions matching {@code which} (a condition on the sessions table) and
     * applies their behavior to the keys they lock, in one statement whatever their number. Built once, when
     * the class loads, from the constant conditions above.
     */
    private static String ending(String which) {
        return """
                WITH ended AS (DELETE FROM sessions WHERE %s RETURNING id, behavior, lock_delay_ns), %s
                SELECT id FROM ended""".formatted(which, KvService.UNLOCK_ENDED_SESSIONS_CTES);
    }

    private long validTtl(String ttl) {
        if (ttl == null || ttl.isEmpty()) {
            return 0;
        }
        long ttlNs;
        try {
            ttlNs = GoDuration.parse(ttl);
        } catch (GoDuration.InvalidDurationException e) {
            throw RejectedException.invalid("Session TTL '" + ttl + "' invalid: " + e.getMessage());
        }
        long min = config.session().ttlMin().toNanos();
        long max = config.session().ttlMax().toNanos();
        if (ttlNs != 0 && (ttlNs < min || ttlNs > max)) {
            throw RejectedException.invalid("Invalid Session TTL '" + ttlNs + "', must be between ["
                    + GoDuration.format(min) + "=" + GoDuration.format(max) + "]");
        }
        return ttlNs;
    }

    /** Every check the session is bound to, in Consul's order: Checks, NodeChecks, ServiceChecks. */
    private static Set<String> boundChecks(SessionSpec spec) {
        Set<String> bound = new LinkedHashSet<>();
        Stream.of(spec.checks(), spec.nodeChecks(), spec.serviceChecks())
                .filter(Objects::nonNull)
                .forEach(bound::addAll);
        return bound;
    }

    /** {@code statuses}: the status of each check found on the session's node, by check ID. */
    private static void requireHealthyChecks(Set<String> checkIds, Map<String, String> statuses) {
        for (String checkId : checkIds) {
            String status = statuses.get(checkId);
            if (status == null) {
                throw RejectedException.invalid("apply failed: Missing check '" + checkId + "' registration");
            }
            if (CheckStatus.CRITICAL.wire().equals(status)) {
                throw RejectedException.conflict("apply failed: Check '" + checkId + "' is in critical state");
            }
        }
    }

    /**
     * Text PostgreSQL cannot store ({@link StoredText}) is refused here as well as where the dialect decoded
     * it, because such an insert would fail the whole batch of creates this one is written with.
     */
    private static void requireStorableText(SessionSpec spec) {
        Stream<String> texts = Stream.concat(Stream.of(spec.name(), spec.node(), spec.ttl()),
                Stream.of(spec.checks(), spec.nodeChecks(), spec.serviceChecks()).filter(Objects::nonNull).flatMap(List::stream));
        texts.forEach(text -> StoredText.require("Session text", text));
    }

    private static RejectedException notFound(String id) {
        return RejectedException.notFound("Session id '" + id + "' not found");
    }

    private static String[] toArray(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }

    /** A session ID as Consul accepts it (any case); empty for anything else. */
    static Optional<UUID> parseId(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
