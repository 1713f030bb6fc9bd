package io.sessiond.session;

import io.sessiond.RejectedException;
import io.sessiond.catalog.HealthCheck;
import io.sessiond.catalog.LocalNode;
import io.sessiond.catalog.Node;
import io.sessiond.config.SessiondConfig;
import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.index.WriteStamp;
import io.sessiond.kv.KvService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The rules of sessions: creation and its validation, renewal, destruction, expiry and invalidation. */
@ApplicationScoped
public class SessionService {

    /** Why a session ended; logged, and later shown to operators. */
    public enum EndReason { DESTROYED, EXPIRED, CHECK_CRITICAL, CHECK_DEREGISTERED, NODE_DEREGISTERED }

    /** What invalidating a session changes: its keys and the sessions table. */
    public static final Table[] INVALIDATION_TABLES = {Table.KVS, Table.SESSIONS};

    /** The service of sessions that name none, on a node without exactly one service. */
    public static final String DEFAULT_SERVICE = "default";

    /** Service names appear in admin URLs ({@code /v1/services/<name>}), so they stay URL-safe. */
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private static final Logger LOG = Logger.getLogger(SessionService.class);

    private final SessiondConfig config;
    private final LocalNode localNode;
    private final ChangeIndex changeIndex;
    private final EntityManager em;
    private final KvService kv;

    public SessionService(SessiondConfig config, LocalNode localNode, ChangeIndex changeIndex, EntityManager em,
                          KvService kv) {
        this.config = config;
        this.localNode = localNode;
        this.changeIndex = changeIndex;
        this.em = em;
        this.kv = kv;
    }

    /** Validates {@code spec} in Consul's order and with Consul's texts, then stores the new session. */
    @Transactional
    public Session create(SessionSpec spec) {
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
        WriteStamp stamp = changeIndex.advance(Table.SESSIONS);
        Node node = Node.findForShare(nodeName)
                .orElseThrow(() -> RejectedException.invalid("apply failed: Missing node registration"));
        requireHealthyChecks(node.name, boundChecks(spec));

        Session session = new Session();
        session.id = UUID.randomUUID();
        session.name = spec.name() == null ? "" : spec.name();
        session.node = node.name;
        session.lockDelayNs = spec.lockDelayNs();
        session.behavior = behavior.wire();
        session.ttl = spec.ttl() == null ? "" : spec.ttl();
        session.ttlNs = ttlNs;
        session.nodeChecks = toArray(spec.nodeChecks());
        session.serviceChecks = toArray(spec.serviceChecks());
        session.checks = toArray(spec.checks());
        session.createIndex = stamp.index();
        session.modifyIndex = stamp.index();
        session.createdAt = stamp.now();
        session.lastRenewedAt = stamp.now();
        session.expiresAt = session.expiryAfter(stamp.now());
        session.service = spec.service() != null ? spec.service() : serviceOf(node);
        if (spec.client() != null) {
            session.remoteAddress = spec.client().remoteAddress();
            session.remotePort = spec.client().port();
        }
        session.persist();
        return session;
    }

    /** The node a session created from {@code spec} is bound to: the one it names, else this server's. */
    public String nodeOf(SessionSpec spec) {
        return spec.node() == null ? localNode.name() : spec.node();
    }

    /**
     * Resets the session's expiry to TTL x 2 from now (database time). A session past its expiry is gone
     * even before the sweeper removed it, so it cannot be renewed.
     */
    @Transactional
    public Session renew(String id) {
        Optional<UUID> uuid = parseId(id);
        if (uuid.isPresent()) {
            // A stopping session (deferred kill) is never renewed past its stop time: least() ignores NULLs.
            @SuppressWarnings("unchecked")
            List<Session> renewed = em.createNativeQuery("UPDATE sessions SET last_renewed_at = now(), "
                            + "expires_at = least(CASE WHEN ttl_ns = 0 THEN NULL "
                            + "ELSE now() + make_interval(secs => ttl_ns * ?2 / 1e9) END, stop_at) "
                            + "WHERE id = ?1 AND (expires_at IS NULL OR expires_at > now()) RETURNING *", Session.class)
                    .setParameter(1, uuid.get())
                    .setParameter(2, Session.TTL_MULTIPLIER)
                    .getResultList();
            if (!renewed.isEmpty()) {
                return renewed.get(0);
            }
        }
        throw RejectedException.notFound("Session id '" + id + "' not found");
    }

    /**
     * Invalidates the session and says whether this call ended it. Destroying an unknown or already ended
     * session is not an error for Consul; the admin API reports it as not found.
     */
    @Transactional
    public boolean destroy(String id) {
        Optional<UUID> uuid = parseId(id);
        // Looked up first without a lock, so that destroying an unknown session moves no index.
        if (uuid.isEmpty() || Session.findById(uuid.get()) == null) {
            return false;
        }
        WriteStamp stamp = changeIndex.advance(INVALIDATION_TABLES);
        Optional<Session> locked = Session.<Session>find("id", uuid.get())
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
        locked.ifPresent(session -> invalidate(List.of(session.id), EndReason.DESTROYED, stamp));
        return locked.isPresent();
    }

    /** The live session with this ID (case-insensitive, as Consul's IDs are). */
    public Optional<Session> find(String id) {
        return parseId(id).flatMap(uuid -> Session.find("id = ?1 and " + Session.ALIVE, uuid)
                .firstResultOptional());
    }

    /** Live sessions bound to {@code node} (case-insensitive), ordered by ID. */
    public List<Session> listByNode(String node) {
        return Session.list("lower(node) = lower(?1) and " + Session.ALIVE + " order by id", node);
    }

    /** All live sessions, ordered by ID. */
    public List<Session> list() {
        return Session.list(Session.ALIVE + " order by id");
    }

    /** The change index of the sessions table, for {@code X-Consul-Index}. */
    public long index() {
        return changeIndex.current(Table.SESSIONS);
    }

    /**
     * Invalidates up to {@code batchSize} expired sessions in one transaction of its own and returns their
     * IDs. {@code SKIP LOCKED} lets several sweepers (threads or sessiond instances) share the work: a
     * session locked by one is skipped by the others, so each expired session is invalidated exactly once.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<UUID> sweepExpired(int batchSize) {
        // A look without locks first: most sweeps find nothing, and those must not move the index.
        if (em.createNativeQuery("SELECT 1 FROM sessions WHERE expires_at <= clock_timestamp() LIMIT 1")
                .getResultList().isEmpty()) {
            return List.of();
        }
        WriteStamp stamp = changeIndex.advance(INVALIDATION_TABLES);
        @SuppressWarnings("unchecked")
        List<UUID> expired = em.createNativeQuery("SELECT id FROM sessions WHERE expires_at <= clock_timestamp() "
                        + "ORDER BY expires_at LIMIT ?1 FOR UPDATE SKIP LOCKED")
                .setParameter(1, batchSize)
                .getResultList();
        invalidate(expired, EndReason.EXPIRED, stamp);
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
        List<UUID> bound = em.createNativeQuery("SELECT id FROM sessions WHERE node = ?1 AND (checks && CAST(?2 AS text[]) "
                        + "OR node_checks && CAST(?2 AS text[]) OR service_checks && CAST(?2 AS text[])) ORDER BY id FOR UPDATE")
                .setParameter(1, node)
                .setParameter(2, ids)
                .getResultList();
        return bound;
    }

    /** Every session on {@code node}, row-locked for invalidation by the caller (see {@link #lockBoundTo}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> lockOnNode(String node) {
        @SuppressWarnings("unchecked")
        List<UUID> onNode = em.createNativeQuery("SELECT id FROM sessions WHERE node = ?1 ORDER BY id FOR UPDATE")
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
        kv.onSessionsEnded(sessionIds, stamp);
        Session.delete("id in ?1", sessionIds);
        LOG.debugf("Invalidated %d session(s), %s: %s", sessionIds.size(), reason, sessionIds);
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

    private static void requireHealthyChecks(String node, Set<String> checkIds) {
        if (checkIds.isEmpty()) {
            return;
        }
        Map<String, HealthCheck> found = HealthCheck.findForShare(node, checkIds).stream()
                .collect(Collectors.toMap(check -> check.checkId, Function.identity()));
        for (String checkId : checkIds) {
            HealthCheck check = found.get(checkId);
            if (check == null) {
                throw RejectedException.invalid("apply failed: Missing check '" + checkId + "' registration");
            }
            if (check.isCritical()) {
                throw RejectedException.conflict("apply failed: Check '" + checkId + "' is in critical state");
            }
        }
    }

    /** The one service registered on {@code node}, if it has exactly one; else {@code default}. */
    private String serviceOf(Node node) {
        @SuppressWarnings("unchecked")
        List<String> names = em.createNativeQuery("SELECT DISTINCT service_name FROM services WHERE node = ?1 LIMIT 2")
                .setParameter(1, node.name)
                .getResultList();
        return names.size() == 1 ? names.get(0) : DEFAULT_SERVICE;
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
