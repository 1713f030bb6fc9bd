package io.sessiond.session;

import io.quarkus.scheduler.Scheduled;
import io.sessiond.config.SessiondConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * Removes expired sessions through the one invalidation path, in bounded batches, so that a backlog of a
 * million expired rows becomes many short transactions instead of one giant one. Safe to run on several
 * instances against one database: see {@link SessionService#sweepExpired(int)}.
 */
@ApplicationScoped
public class SessionSweeper {

    /** The scheduler identity, so that tests and operators can pause this job. */
    public static final String JOB = "session-sweeper";

    private static final Logger LOG = Logger.getLogger(SessionSweeper.class);

    private final SessionService sessions;
    private final int batchSize;

    public SessionSweeper(SessionService sessions, SessiondConfig config) {
        this.sessions = sessions;
        this.batchSize = config.sweeper().batchSize();
    }

    @Scheduled(identity = JOB, every = "${sessiond.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int total = 0;
        List<UUID> swept;
        // A full batch means more may be waiting; a short one means the backlog is drained for this round.
        do {
            swept = sessions.sweepExpired(batchSize);
            total += swept.size();
        } while (swept.size() == batchSize);
        if (total > 0) {
            LOG.debugf("Expired %d session(s)", total);
        }
    }
}
