package io.sessiond.web;

import io.quarkus.scheduler.Scheduled;
import io.sessiond.config.SessiondConfig;
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
    private final int batchSize;

    public WebSessionSweeper(WebSessionService sessions, SessiondConfig config) {
        this.sessions = sessions;
        this.batchSize = config.sweeper().batchSize();
    }

    @Scheduled(identity = JOB, every = "${sessiond.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int total = SessionSweeper.drain(sessions::sweepExpired, batchSize);
        if (total > 0) {
            LOG.debugf("Removed %d timed-out web session(s)", total);
        }
    }
}
