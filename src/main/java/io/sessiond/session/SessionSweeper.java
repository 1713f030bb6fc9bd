package io.sessiond.session;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.function.IntFunction;

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
    private final PausableJob job;
    private final int batchSize;

    public SessionSweeper(SessionService sessions, Scheduler scheduler, SessiondConfig config) {
        this.sessions = sessions;
        this.job = new PausableJob(scheduler, JOB);
        this.batchSize = config.sweeper().batchSize();
    }

    @Scheduled(identity = JOB, every = "${sessiond.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        job.run(() -> {
            int total = drain(sessions::sweepExpired, batchSize);
            if (total > 0) {
                LOG.debugf("Expired %d session(s)", total);
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

    /**
     * Runs {@code sweepBatch} (one transaction per batch) until a batch comes back short, and returns how
     * many were swept: a full batch means more may be waiting; a short one means the backlog is drained for
     * this round.
     */
    public static int drain(IntFunction<? extends Collection<?>> sweepBatch, int batchSize) {
        int total = 0;
        int swept;
        do {
            swept = sweepBatch.apply(batchSize).size();
            total += swept;
        } while (swept == batchSize);
        return total;
    }
}
