package io.sessiond.session;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import io.sessiond.job.BatchSweeper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Removes expired sessions through the one invalidation path, in bounded batches. Safe to run on several
 * instances against one database: see {@link SessionExpiry#sweepExpired(int)}.
 */
@ApplicationScoped
public class SessionSweeper extends BatchSweeper {

    /** The scheduler identity, so that tests and operators can pause this job. */
    public static final String JOB = "session-sweeper";

    public SessionSweeper(SessionExpiry expiry, Scheduler scheduler, SessiondConfig config) {
        super(scheduler, JOB, config.sweeper().batchSize(), expiry::sweepExpired,
                Logger.getLogger(SessionSweeper.class), "Expired %d session(s)");
    }

    @Override
    @Scheduled(identity = JOB, every = "${sessiond.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    protected void sweep() {
        super.sweep();
    }
}
