package io.sessiond.web;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import io.sessiond.job.BatchSweeper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Removes idle-timed-out web sessions in bounded batches, on the same schedule and batch size as the
 * session sweeper ({@code sessiond.sweeper.*}). Safe on several instances against one database: see
 * {@link WebSessionService#sweepExpired(int)}.
 */
@ApplicationScoped
public class WebSessionSweeper extends BatchSweeper {

    /** The scheduler identity, so that tests and operators can pause this job. */
    public static final String JOB = "web-session-sweeper";

    public WebSessionSweeper(WebSessionService sessions, Scheduler scheduler, SessiondConfig config) {
        super(scheduler, JOB, config.sweeper().batchSize(), sessions::sweepExpired,
                Logger.getLogger(WebSessionSweeper.class), "Removed %d timed-out web session(s)");
    }

    @Override
    @Scheduled(identity = JOB, every = "${sessiond.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    protected void sweep() {
        super.sweep();
    }
}
