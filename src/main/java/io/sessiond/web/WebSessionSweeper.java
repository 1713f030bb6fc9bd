package io.sessiond.web;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import io.sessiond.session.PausableJob;
import io.sessiond.session.SessionSweeper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;


/**
 * Removes idle-timed-out web sessions in bounded batches, on the same schedule and batch size as the
 * session sweeper ({@code sessiond.sweeper.*}). Safe on several instances against one database: see
 * {@link WebSessionService#sweepExpired(int)}.
 */
@ApplicationScoped
public class WebSessionSweeper {

    /** The scheduler identity, so that tests and operators can pause this job. */
    public static final String JOB = "web-session-sweeper";

    private static final Logger LOG = Logger.getLogger(WebSessionSweeper.class);

    private final WebSessionService sessions;
    private final PausableJob job;
    private final int batchSize;

    public WebSessionSweeper(WebSessionService sessions, Scheduler scheduler, SessiondConfig config) {
        this.sessions = sessions;
        this.job = new PausableJob(scheduler, JOB);
        this.batchSize = config.sweeper().batchSize();
    }

    @Scheduled(identity = JOB, every = "${sessiond.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        job.run(() -> {
            int total = SessionSweeper.drain(sessions::sweepExpired, batchSize);
            if (total > 0) {
                LOG.debugf("Removed %d timed-out web session(s)", total);
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
