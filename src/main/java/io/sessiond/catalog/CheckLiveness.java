package io.sessiond.catalog;

import io.sessiond.index.ChangeIndex;
import io.sessiond.index.Table;
import io.sessiond.index.WriteStamp;
import io.sessiond.session.SessionInvalidation;
import io.sessiond.session.SessionInvalidation.EndReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.util.List;

/**
 * Whether what sessions are bound to is still alive: sessiond instances (their heartbeat, judged by their
 * {@code serfHealth} check) and TTL checks (updated in time). What stopped being alive turns critical, which
 * ends the sessions bound to it through {@link SessionInvalidation}. Safe on several instances at once.
 */
@ApplicationScoped
public class CheckLiveness {

    /** The check every Consul node has and every default session is bound to. */
    public static final String SERF_HEALTH = "serfHealth";
    /** Output Consul gives a check that its TTL let expire. */
    public static final String TTL_EXPIRED = "TTL expired";
    /** Output Consul gives the serfHealth check of a node it cannot reach. */
    public static final String AGENT_UNREACHABLE = "Agent not live or unreachable";
    /** The output of a passing {@code serfHealth} check, as Consul writes it. */
    public static final String AGENT_ALIVE = "Agent alive and reachable";

    private static final Table[] CHECKS_AND_SESSIONS = SessionInvalidation.endingSessionsAnd(Table.CHECKS);

    /** TTL checks not updated in time: (node, check_id) rows for markCritical, which looks, then locks a batch. */
    private static final String TTL_EXPIRED_CHECKS = """
            SELECT node, check_id FROM checks
            WHERE ttl_expires_at <= clock_timestamp() AND status <> 'critical'""";
    /** The serfHealth checks of instances whose heartbeat is older than ?1 milliseconds, but that of ?2. */
    private static final String UNREACHABLE_INSTANCE_CHECKS = """
            SELECT c.node, c.check_id FROM checks c JOIN nodes n ON n.name = c.node
            WHERE c.status <> 'critical'
              AND n.heartbeat_at < clock_timestamp() - make_interval(secs => ?1 / 1000.0)
              AND c.node IS DISTINCT FROM CAST(?2 AS text)
              AND c.check_id = '""" + SERF_HEALTH + "'";
    private static final String MARK_CHECK_CRITICAL = """
            UPDATE checks SET status = 'critical', output = ?3, modify_index = ?4
            WHERE node = ?1 AND check_id = ?2""";

    /** Whether a peer declared ?1 dead: its serfHealth check is critical with output ?2. */
    private static final String DECLARED_DEAD = """
            SELECT 1 FROM checks WHERE node = ?1 AND status = 'critical' AND output = ?2
              AND check_id = '""" + SERF_HEALTH + "'";
    private static final String RECORD_HEARTBEAT = "UPDATE nodes SET heartbeat_at = clock_timestamp() WHERE name = ?1";
    /** Passes check ?2 of ?1 again, only if it is still critical with output ?5 (a peer declared the node dead). */
    private static final String PASS_AGAIN = """
            UPDATE checks SET status = 'passing', output = ?3, modify_index = ?4
            WHERE node = ?1 AND check_id = ?2 AND status = 'critical' AND output = ?5""";

    private final EntityManager em;
    private final ChangeIndex changeIndex;
    private final SessionInvalidation sessions;

    public CheckLiveness(EntityManager em, ChangeIndex changeIndex, SessionInvalidation sessions) {
        this.em = em;
        this.changeIndex = changeIndex;
        this.sessions = sessions;
    }

    /** Marks critical the TTL checks not updated in time, up to {@code batchSize}; returns how many. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int expireTtlChecks(int batchSize) {
        return markCritical(TTL_EXPIRED_CHECKS, TTL_EXPIRED, batchSize);
    }

    /**
     * Marks critical the {@code serfHealth} check of every sessiond instance whose heartbeat is older than
     * {@code deadAfter}, which ends the sessions made through it; returns how many instances were found dead.
     * {@code aliveNode}, if not null, is left out: the instance running this is alive, whatever its last
     * heartbeat says (a pause or a slow database may have delayed it).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int reapDeadInstances(Duration deadAfter, int batchSize, String aliveNode) {
        return markCritical(UNREACHABLE_INSTANCE_CHECKS, AGENT_UNREACHABLE, batchSize, deadAfter.toMillis(), aliveNode);
    }

    /**
     * Records that the sessiond instance running {@code node} is alive, which is no change clients can see,
     * unless a peer declared it dead meanwhile because its heartbeat came late: then its {@code serfHealth}
     * check passes again, as a Consul agent's does when it rejoins (the sessions that ended stay ended).
     */
    @Transactional
    public void heartbeat(String node) {
        // An unlocked look first, so that the usual heartbeat takes no change index.
        boolean declaredDead = !em.createNativeQuery(DECLARED_DEAD)
                .setParameter(1, node).setParameter(2, AGENT_UNREACHABLE).getResultList().isEmpty();
        WriteStamp stamp = declaredDead ? changeIndex.advance(Table.CHECKS) : null;
        em.createNativeQuery(RECORD_HEARTBEAT)
                .setParameter(1, node).executeUpdate();
        if (declaredDead) {
            em.createNativeQuery(PASS_AGAIN)
                    .setParameter(1, node).setParameter(2, SERF_HEALTH).setParameter(3, AGENT_ALIVE)
                    .setParameter(4, stamp.index()).setParameter(5, AGENT_UNREACHABLE)
                    .executeUpdate();
        }
    }

    /**
     * Marks critical, with {@code output}, the checks {@code selectSql} finds (one of the check queries above,
     * with {@code parameters} as its ?1, ?2, ...), and ends their sessions. {@code SKIP LOCKED} lets instances
     * share the work: each check is marked, and its sessions ended, by exactly one of them. The batch size,
     * an int of the configuration, is written into the statement's LIMIT.
     */
    private int markCritical(String selectSql, String output, int batchSize, Object... parameters) {
        // An unlocked look first: most runs find nothing, and those must not move any index. Only whether a
        // row exists: a computed column needs no type lookup by the driver (a catalog query per connection).
        if (!(Boolean) bind(em.createNativeQuery("SELECT EXISTS (" + selectSql + ")"), parameters).getSingleResult()) {
            return 0;
        }
        WriteStamp stamp = changeIndex.advance(CHECKS_AND_SESSIONS);
        @SuppressWarnings("unchecked")
        List<Object[]> due = bind(em.createNativeQuery(selectSql + " ORDER BY 1, 2 LIMIT " + batchSize
                + " FOR UPDATE SKIP LOCKED"), parameters).getResultList();
        for (Object[] row : due) {
            String node = (String) row[0];
            String checkId = (String) row[1];
            em.createNativeQuery(MARK_CHECK_CRITICAL)
                    .setParameter(1, node).setParameter(2, checkId).setParameter(3, output).setParameter(4, stamp.index())
                    .executeUpdate();
            sessions.invalidate(sessions.lockBoundTo(node, List.of(checkId)), EndReason.CHECK_CRITICAL, stamp);
        }
        return due.size();
    }

    private static Query bind(Query query, Object... parameters) {
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return query;
    }

}
