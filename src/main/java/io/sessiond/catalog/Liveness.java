package io.sessiond.catalog;

import io.quarkus.scheduler.Scheduled;
import io.sessiond.config.SessiondConfig;
import io.sessiond.job.BatchSweeper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps this instance's node alive and ends what is no longer alive elsewhere: peers whose heartbeat
 * stopped (their serfHealth turns critical) and TTL checks nobody updated in time. Safe on several
 * instances at once: see {@link CheckLiveness#reapDeadInstances} and {@link CheckLiveness#expireTtlChecks}.
 */
@ApplicationScoped
public class Liveness {

    /** Scheduler identities, so that tests can pause these jobs. */
    public static final String HEARTBEAT_JOB = "heartbeat";
    public static final String REAPER_JOB = "liveness-reaper";

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
        checks.heartbeat(localNode.name());
    }

    @Scheduled(identity = REAPER_JOB, every = "${sessiond.heartbeat.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        // Batches, each a transaction of its own, while they come back full: more may be due.
        BatchSweeper.drain(size -> checks.reapDeadInstances(config.heartbeat().deadAfter(), size, localNode.name()),
                BATCH_SIZE);
        BatchSweeper.drain(checks::expireTtlChecks, BATCH_SIZE);
    }
}
