package io.sessiond.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessiond.RejectedException;
import io.sessiond.StoredText;
import io.sessiond.index.DatabaseClock;
import io.sessiond.json.JsonPath;
import io.sessiond.web.WebSessionRejectedException.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The rules of web sessions: create, load, save with optimistic locking, touch, invalidate, regenerate,
 * delete, lease locks, idle expiry and the operators' listing.
 *
 * <p>Web-session writes do not advance the change index ({@code ChangeIndex.advance}): that protocol
 * exists for blocking queries and {@code X-Consul-Index}, which nothing offers over web sessions, and it
 * would serialize every web-session write on the one {@code table_indexes} row of the table, while a web
 * application touches or saves its session on nearly every request. Concurrency is per row instead: writes
 * lock the session's row, and the version (the ETag) tells a save whether it overwrites what it read.
 */
@ApplicationScoped
public class WebSessionService {

    /** Deletes up to ?1 timed-out sessions, passing over rows another transaction holds. */
    private static final String DELETE_TIMED_OUT = """
            DELETE FROM web_sessions WHERE id IN (SELECT id FROM web_sessions
            WHERE expires_at <= clock_timestamp() ORDER BY expires_at LIMIT ?1 FOR UPDATE SKIP LOCKED) RETURNING id""";

    private final EntityManager em;
    private final DatabaseClock clock;
    private final ObjectMapper mapper;
    private final CookieSigner signer;
    private final DataCipher cipher;
    private final Duration timeout;
    private final long maxDataBytes;
    private final Duration lockTtlMax;
    private final SecureRandom random = new SecureRandom();

    public WebSessionService(EntityManager em, DatabaseClock clock, ObjectMapper mapper, CookieSigner signer,
                             DataCipher cipher, WebSessionConfig config) {
        this.em = em;
        this.clock = clock;
        this.mapper = mapper;
        this.signer = signer;
        this.cipher = cipher;
        this.timeout = config.timeout();
        this.maxDataBytes = config.maxDataSize().asLongValue();
        this.lockTtlMax = config.lockTtlMax();
    }

    /** A new session holding {@code data}, stored at once, with a fresh 128-bit random id. */
    @Transactional
    public IssuedWebSession create(ObjectNode data) {
        byte[] json = serialized(data);
        Instant now = clock.now();
        WebSession session = new WebSession();
        session.id = WebSession.newId(random);
        session.version = 1;
        session.createdAt = now;
        store(session, json, now);
        session.persist();
        return issued(session, data);
    }

    /**
     * The live session {@code id}. Loading is not an access: it neither extends nor records anything; a
     * timed-out session it finds is deleted (see {@link WebSessionTimedOutException}).
     */
    @Transactional(dontRollbackOn = WebSessionTimedOutException.class)
    public WebSessionView get(String id) {
        WebSession session = findLive(id);
        return view(session, read(session));
    }

    /**
     * The live session a cookie value names. A value with a bad, unknown or missing signature is treated
     * exactly like no cookie at all (Beaker's semantics): not found, never a client error, so a forger
     * learns nothing from the answer.
     */
    public WebSessionView resolve(String cookieValue) {
        String id = signer.verify(cookieValue)
                .orElseThrow(() -> RejectedException.notFound("No web session: no validly signed session cookie"));
        return get(id);
    }

    /**
     * Replaces the data, if {@code expectedVersion} is still the current version (empty: whatever it is),
     * and counts as an access. Of several saves naming the same version exactly one succeeds: each waits for
     * the row lock, and the ones after the first see the version it wrote.
     */
    @Transactional(dontRollbackOn = WebSessionTimedOutException.class)
    public WebSessionView save(String id, OptionalLong expectedVersion, ObjectNode data) {
        byte[] json = serialized(data);
        Instant now = clock.now();
        WebSession session = lockLive(id, now);
        if (expectedVersion.isPresent() && expectedVersion.getAsLong() != session.version) {
            throw new WebSessionRejectedException(Kind.STALE_VERSION, "Web session '" + id + "' is at version "
                    + session.version + ", not " + expectedVersion.getAsLong() + ": read it again and reapply the change");
        }
        session.version++;
        session.lastAccessedAt = session.accessedAt;
        store(session, json, now);
        return view(session, data);
    }

    /** Records an access without changing the data (Beaker's accessed-only save): the idle timeout restarts. */
    @Transactional(dontRollbackOn = WebSessionTimedOutException.class)
    public void touch(String id) {
        Instant now = clock.now();
        WebSession session = lockLive(id, now);
        session.lastAccessedAt = session.accessedAt;
        session.accessedAt = now;
        session.expiresAt = expiryAfter(now);
    }

    /** Ends the session and starts an empty one under a new id; the old id is gone for good. */
    @Transactional(dontRollbackOn = WebSessionTimedOutException.class)
    public IssuedWebSession invalidate(String id) {
        Instant now = clock.now();
        lockLive(id, now).delete();
        return create(mapper.createObjectNode());
    }

    /**
     * Moves the session to a new id, data and creation time kept (after a login, against session fixation);
     * the old id is gone for good.
     */
    @Transactional(dontRollbackOn = WebSessionTimedOutException.class)
    public IssuedWebSession regenerate(String id) {
        Instant now = clock.now();
        WebSession old = lockLive(id, now);
        ObjectNode data = read(old);
        old.delete();
        WebSession moved = new WebSession();
        moved.id = WebSession.newId(random);
        moved.version = 1;
        moved.createdAt = old.createdAt;
        moved.lastAccessedAt = old.accessedAt;
        store(moved, serialized(data), now);
        moved.persist();
        return issued(moved, data);
    }

    @Transactional(dontRollbackOn = WebSessionTimedOutException.class)
    public void delete(String id) {
        lockLive(id, clock.now()).delete();
    }

    /**
     * Takes the session's lease lock for {@code ttl}, unless another holder's lock is in force. An expired
     * lock is free: a holder that crashed blocks others for at most its ttl.
     */
    @Transactional(dontRollbackOn = WebSessionTimedOutException.class)
    public LockGrant lock(String id, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(lockTtlMax) > 0) {
            throw RejectedException.invalid("Lock ttl must be more than 0s and at most " + lockTtlMax.toSeconds()
                    + "s (sessiond.web.lock-ttl-max), not " + ttl.toMillis() / 1000.0 + "s");
        }
        Instant now = clock.now();
        WebSession session = lockLive(id, now);
        if (session.isLockedAt(now)) {
            throw new WebSessionRejectedException(Kind.LOCKED,
                    "Web session '" + id + "' is locked until " + session.lockExpiresAt);
        }
        session.lockToken = UUID.randomUUID();
        session.lockExpiresAt = now.plus(ttl);
        return new LockGrant(session.lockToken, session.lockExpiresAt);
    }

    /** Releases the lease lock held with {@code token}. */
    @Transactional(dontRollbackOn = WebSessionTimedOutException.class)
    public void unlock(String id, UUID token) {
        Instant now = clock.now();
        WebSession session = lockLive(id, now);
        if (!session.isLockedAt(now)) {
            throw RejectedException.conflict("Web session '" + id + "' is not locked");
        }
        if (!session.lockToken.equals(token)) {
            throw new WebSessionRejectedException(Kind.LOCKED,
                    "Web session '" + id + "' is locked with another token until " + session.lockExpiresAt);
        }
        session.lockToken = null;
        session.lockExpiresAt = null;
    }

    /**
     * A page of the live sessions as operators see them, oldest first ({@code page} counts from 0): nothing
     * is decrypted and no data leaves the store. A page beyond the last is empty.
     */
    public List<WebSessionSummary> list(int page, int pageSize) {
        if ((long) page * pageSize > Integer.MAX_VALUE) {
            return List.of();
        }
        Instant now = clock.now();
        return WebSession.<WebSession>find(WebSession.ALIVE + " order by createdAt, id")
                .page(page, pageSize)
                .list()
                .stream()
                .map(session -> summary(session, now))
                .toList();
    }

    /** The live session {@code id} as operators see it. Not an access; a timed-out session is deleted. */
    @Transactional(dontRollbackOn = WebSessionTimedOutException.class)
    public WebSessionSummary summary(String id) {
        return summary(findLive(id), clock.now());
    }

    /** How many sessions are live. */
    public long count() {
        return WebSession.count(WebSession.ALIVE);
    }

    /**
     * Deletes up to {@code batchSize} timed-out sessions in a transaction of its own and returns their ids.
     * {@code SKIP LOCKED} lets several sweepers (threads or instances) share the work without both deleting
     * the same rows, and without waiting for a session a request is saving right now.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<String> sweepExpired(int batchSize) {
        @SuppressWarnings("unchecked")
        List<String> swept = em.createNativeQuery(DELETE_TIMED_OUT)
                .setParameter(1, batchSize)
                .getResultList();
        return swept;
    }

    /**
     * The live session {@code id}, unlocked: for reading. A timed-out row is deleted only if it is still
     * timed out when the delete holds its row lock, so that a touch committed meanwhile keeps the session.
     */
    private WebSession findLive(String id) {
        WebSession session = WebSession.isWellFormedId(id) ? WebSession.findById(id) : null;
        if (session == null) {
            throw notFound(id);
        }
        Instant now = clock.now();
        if (!session.isAliveAt(now)) {
            WebSession.delete("id = ?1 and expiresAt <= ?2", id, now);
            throw new WebSessionTimedOutException(notFoundMessage(id));
        }
        return session;
    }

    /**
     * The live session {@code id}, row-locked for the calling transaction's write; a timed-out one is deleted
     * under that lock.
     */
    private WebSession lockLive(String id, Instant now) {
        if (!WebSession.isWellFormedId(id)) {
            throw notFound(id);
        }
        WebSession session = WebSession.<WebSession>find("id", id)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
        if (session == null) {
            throw notFound(id);
        }
        if (!session.isAliveAt(now)) {
            session.delete();
            throw new WebSessionTimedOutException(notFoundMessage(id));
        }
        return session;
    }

    /** Sets the data (encrypted when a key is configured) and records an access at {@code now}. */
    private void store(WebSession session, byte[] json, Instant now) {
        if (cipher.encrypts()) {
            session.data = null;
            session.encryptedData = cipher.encrypt(session.id, json);
        } else {
            session.data = new String(json, StandardCharsets.UTF_8);
            session.encryptedData = null;
        }
        session.accessedAt = now;
        session.expiresAt = expiryAfter(now);
    }

    private ObjectNode read(WebSession session) {
        String json = session.encryptedData != null
                ? new String(cipher.decrypt(session.id, session.encryptedData), StandardCharsets.UTF_8)
                : session.data;
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("Stored data of web session '" + session.id + "' is not JSON", e);
        }
    }

    /** The data as stored: a JSON object within the size limit that PostgreSQL's jsonb can hold. */
    private byte[] serialized(ObjectNode data) {
        requireStorableText(data, "data");
        byte[] json = compact(data);
        if (json.length > maxDataBytes) {
            throw new WebSessionRejectedException(Kind.DATA_TOO_LARGE, "Web session data is " + json.length
                    + " bytes of JSON, more than the " + maxDataBytes + " allowed (sessiond.web.max-data-size)");
        }
        return json;
    }

    /** The data's JSON, compact, in UTF-8. */
    private byte[] compact(ObjectNode data) {
        try {
            return mapper.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * jsonb cannot store U+0000 or a lone surrogate ({@link StoredText}); refused for every store, so that
     * switching encryption off never breaks one. {@code path} names the node: {@code data.list[1]}.
     */
    private static void requireStorableText(JsonNode node, String path) {
        if (node.isTextual()) {
            StoredText.require("Web session data: " + path, node.textValue());
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireStorableText(node.get(i), JsonPath.index(path, i));
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(member -> {
                StoredText.require("Web session data: a member name in " + path, member.getKey());
                requireStorableText(member.getValue(), JsonPath.member(path, member.getKey()));
            });
        }
    }

    private Instant expiryAfter(Instant accessed) {
        return timeout.isZero() ? null : accessed.plus(timeout);
    }

    private WebSessionSummary summary(WebSession session, Instant now) {
        long dataSize = session.encryptedData != null ? DataCipher.plaintextLength(session.encryptedData)
                : compact(read(session)).length;
        return new WebSessionSummary(session.id, session.createdAt, session.lastAccessedAt, session.accessedAt,
                session.expiresAt, Duration.between(session.accessedAt, now), session.version, dataSize,
                session.encryptedData != null, session.isLockedAt(now) ? session.lockExpiresAt : null);
    }

    private WebSessionView view(WebSession session, ObjectNode data) {
        return new WebSessionView(session.id, data, session.createdAt, session.lastAccessedAt, session.accessedAt,
                session.expiresAt, session.version);
    }

    /** The session with its signed cookie: only for the calls that give a session a new id. */
    private IssuedWebSession issued(WebSession session, ObjectNode data) {
        return new IssuedWebSession(view(session, data), signer.sign(session.id));
    }

    private static RejectedException notFound(String id) {
        return RejectedException.notFound(notFoundMessage(id));
    }

    private static String notFoundMessage(String id) {
        return "Web session '" + id + "' not found";
    }
}
