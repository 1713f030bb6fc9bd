package io.sessiond.acl;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import io.sessiond.job.BatchSweeper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Removes expired ACL tokens in bounded batches, on the session sweeper's schedule and batch size
 * ({@code sessiond.sweeper.*}). An expired token is already refused everywhere; this only frees its row.
 * Safe on several instances against one database: see {@link AclService#sweepExpiredTokens(int)}.
 */
@ApplicationScoped
public class AclTokenSweeper extends BatchSweeper {

    /** The scheduler identity, so that tests and operators can pause this job. */
    public static final String JOB = "acl-token-sweeper";

    private final SessiondConfig config;

    public AclTokenSweeper(AclService acl, Scheduler scheduler, SessiondConfig config) {
        super(scheduler, JOB, config.sweeper().batchSize(), acl::sweepExpiredTokens,
                Logger.getLogger(AclTokenSweeper.class), "Removed %d expired ACL token(s)");
        this.config = config;
    }

    @Override
    @Scheduled(identity = JOB, every = "${sessiond.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    protected void sweep() {
        if (config.acl().enabled()) {
            super.sweep();
        }
    }
}
