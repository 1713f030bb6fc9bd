package io.sessiond.acl;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import io.sessiond.session.PausableJob;
import io.sessiond.session.SessionSweeper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Removes expired ACL tokens in bounded batches, on the session sweeper's schedule and batch size
 * ({@code sessiond.sweeper.*}). An expired token is already refused everywhere; this only frees its row.
 * Safe on several instances against one database: see {@link AclService#sweepExpiredTokens(int)}.
 */
@ApplicationScoped
public class AclTokenSweeper {

    /** The scheduler identity, so that tests and operators can pause this job. */
    public static final String JOB = "acl-token-sweeper";

    private static final Logger LOG = Logger.getLogger(AclTokenSweeper.class);

    private final AclService acl;
    private final SessiondConfig config;
    private final PausableJob job;

    public AclTokenSweeper(AclService acl, Scheduler scheduler, SessiondConfig config) {
        this.acl = acl;
        this.config = config;
        this.job = new PausableJob(scheduler, JOB);
    }

    @Scheduled(identity = JOB, every = "${sessiond.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!config.acl().enabled()) {
            return;
        }
        job.run(() -> {
            int total = SessionSweeper.drain(acl::sweepExpiredTokens, config.sweeper().batchSize());
            if (total > 0) {
                LOG.debugf("Removed %d expired ACL token(s)", total);
            }
        });
    }

    /** Stops sweeping for certain: see {@link PausableJob#pause()}. */
    public void pause() {
        job.pause();
    }

    public void resume() {
        job.resume();
    }
}
