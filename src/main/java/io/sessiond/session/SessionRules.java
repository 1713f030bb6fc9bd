package io.sessiond.session;

import io.sessiond.RejectedException;
import io.sessiond.StoredText;
import io.sessiond.catalog.CheckStatus;
import io.sessiond.catalog.LocalNode;
import io.sessiond.config.SessiondConfig;
import io.sessiond.go.GoDuration;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What makes a session request valid, in Consul's order and with Consul's texts: a create's fields (checked
 * before anything is queued), its node and checks (checked in the batch that stores it), and session IDs.
 */
@ApplicationScoped
public class SessionRules {

    /** The service of sessions that name none, on a node without exactly one service. */
    public static final String DEFAULT_SERVICE = "default";

    /** Service names appear in admin URLs ({@code /v1/services/<name>}), so they stay URL-safe. */
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** A create after the checks that need no database: the session to store and the checks it binds. */
    record NewSession(Session session, Set<String> boundChecks) {
    }

    private final SessiondConfig config;
    private final LocalNode localNode;

    public SessionRules(SessiondConfig config, LocalNode localNode) {
        this.config = config;
        this.localNode = localNode;
    }

    /**
     * Checks what needs no database and builds the session to store; its node and checks are checked by
     * {@link #requireBindable} once the batch has locked them.
     */
    NewSession validCreate(SessionSpec spec) {
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
        // Null until the batch looked at the node's services (see requireBindable).
        session.service = spec.service();
        if (spec.client() != null) {
            session.remoteAddress = spec.client().remoteAddress();
            session.remotePort = spec.client().port();
        }
        return new NewSession(session, boundChecks(spec));
    }

    /** The node a session created from {@code spec} is bound to: the one it names, else this server's. */
    public String nodeOf(SessionSpec spec) {
        return spec.node() == null ? localNode.name() : spec.node();
    }

    /**
     * Refuses a create whose node is not registered ({@code target} null) or whose bound checks are missing
     * or critical on it; otherwise binds the session to the node's stored name and, if it named none, to the
     * node's service.
     */
    static void requireBindable(NewSession request, SessionStore.CreateTarget target) {
        if (target == null) {
            throw RejectedException.invalid("apply failed: Missing node registration");
        }
        requireHealthyChecks(request.boundChecks(), target.checkStatuses());
        request.session().node = target.node();
        if (request.session().service == null) {
            request.session().service = target.service();
        }
    }

    /** A session ID as Consul accepts it (any case); empty for anything else. */
    public static Optional<UUID> parseId(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static RejectedException notFound(String id) {
        return RejectedException.notFound("Session id '" + id + "' not found");
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

    private static String[] toArray(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }
}
