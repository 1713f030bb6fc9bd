package io.sessiond.catalog;

import io.quarkus.scheduler.Scheduled;
import io.sessiond.config.SessiondConfig;
import io.sessiond.index.DatabaseUnreachable;
import io.sessiond.job.BatchSweeper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Keeps this instance's node alive and ends what is no longer alive elsewhere: peers whose heartbeat
 * stopped (their serfHealth turns critical) and TTL checks nobody updated in time. Each heartbeat also keeps
 * the cluster's clock running ({@link ClusterClock}), which grants the grace after an outage. Safe on several
 * instances at once: see {@link CheckLiveness#reapDeadInstances} and {@link CheckLiveness#expireTtlChecks}.
 */
@ApplicationScoped
public class Liveness {

    /** Scheduler identities, so that tests can pause these jobs. */
    public static final String HEARTBEAT_JOB = "heartbeat";
    public static final String REAPER_JOB = "liveness-reaper";

    private static final Logger LOG = Logger.getLogger(Liveness.class);
    private static final int BATCH_SIZE = 100;

    private final CheckLiveness checks;
    private final LocalNode localNode;
    private final SessiondConfig config;

    public Liveness(CheckLiveness checks, LocalNode localNode, SessiondConfig config) {
        this.checks = checks;
        this.localNode = localNode;
        this.config = config;
    }

    @Scheduled(identity = HEARTBEAT_JOB, every = "${sessiond.heartbeat.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() {
        DatabaseUnreachable.quietWhileUnreachable(LOG, HEARTBEAT_JOB, () -> {
            // The clock first: after an outage, the deadlines it pushes include this node's heartbeat.
            localNode.tickClusterClock();
            checks.heartbeat(localNode.name());
            localNode.heartbeatRecorded();
        });
    }

    @Scheduled(identity = REAPER_JOB, every = "${sessiond.heartbeat.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        DatabaseUnreachable.quietWhileUnreachable(LOG, REAPER_JOB, () -> {
            // Batches, each a transaction of its own, while they come back full: more may be due.
            BatchSweeper.drain(size -> checks.reapDeadInstances(config.heartbeat().deadAfter(), size, localNode.name()),
                    BATCH_SIZE);
            BatchSweeper.drain(checks::expireTtlChecks, BATCH_SIZE);
        });
    }
}
