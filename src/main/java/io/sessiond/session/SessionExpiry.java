package io.sessiond.session;

import io.sessiond.index.ChangeIndex;
import io.sessiond.index.WriteStamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Ends the sessions whose TTL x 2 passed without a renewal, through {@link SessionInvalidation}. */
@ApplicationScoped
public class SessionExpiry {

    private static final Logger LOG = Logger.getLogger(SessionExpiry.class);

    /** Whether any session is past its expiry: a look without locks. */
    private static final String ANY_EXPIRED = "SELECT 1 FROM sessions WHERE expires_at <= clock_timestamp() LIMIT 1";
    /** Ends up to :limit expired sessions, passing over rows another transaction holds. */
    private static final String END_EXPIRED = SessionInvalidation.ending("""
            id = ANY(ARRAY(SELECT id FROM sessions WHERE expires_at <= clock_timestamp()
              ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED))""");

    private final ChangeIndex changeIndex;
    private final SessionInvalidation invalidation;
    private final EntityManager em;

    public SessionExpiry(ChangeIndex changeIndex, SessionInvalidation invalidation, EntityManager em) {
        this.changeIndex = changeIndex;
        this.invalidation = invalidation;
        this.em = em;
    }

    /**
     * Invalidates up to {@code batchSize} expired sessions in one transaction of its own and returns their
     * IDs. Sweepers on several instances take the change index one after the other (the write protocol),
     * each seeing what the one before removed, and a row is deleted by one transaction only, so each expired
     * session is invalidated exactly once; {@code SKIP LOCKED} passes over a row another transaction holds
     * (a connection-activity flush), for a later sweep. The expired rows are found, locked, removed and
     * their locks released by one statement.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<UUID> sweepExpired(int batchSize) {
        // A look without locks first: most sweeps find nothing, and those must not move the index.
        if (em.createNativeQuery(ANY_EXPIRED).getResultList().isEmpty()) {
            return List.of();
        }
        WriteStamp stamp = changeIndex.advance(SessionInvalidation.INVALIDATION_TABLES);
        List<UUID> expired = invalidation.end(END_EXPIRED, Map.of("limit", batchSize), stamp);
        if (expired.isEmpty()) {
            // Every expired row was another sweeper's: the index taken must not be seen.
            changeIndex.nothingChanged();
        }
        LOG.debugf("Invalidated %d session(s), %s", expired.size(), SessionInvalidation.EndReason.EXPIRED);
        return expired;
    }
}
