package io.sessiond.session;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;
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
    private final Scheduler scheduler;
    private final int batchSize;
    /** Held by a sweep in progress, so that {@link #pause()} can wait it out. */
    private final ReentrantLock sweeping = new ReentrantLock();

    public SessionSweeper(SessionService sessions, Scheduler scheduler, SessiondConfig config) {
        this.sessions = sessions;
        this.scheduler = scheduler;
        this.batchSize = config.sweeper().batchSize();
    }

    @Scheduled(identity = JOB, every = "${sessiond.sweeper.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        sweeping.lock();
        try {
            // A run the scheduler dispatched just before the job was paused may start after it.
            if (scheduler.isPaused(JOB)) {
                return;
            }
            int total = drain(sessions::sweepExpired, batchSize);
            if (total > 0) {
                LOG.debugf("Expired %d session(s)", total);
            }
        } finally {
            sweeping.unlock();
        }
    }

    /**
     * Pauses the job and waits for a sweep in progress to finish: once this returns, no sweep runs until
     * {@link #resume()}. The scheduler's own pause only stops the runs it has not yet dispatched.
     */
    public void pause() {
        scheduler.pause(JOB);
        sweeping.lock();
        sweeping.unlock();
    }

    public void resume() {
        scheduler.resume(JOB);
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
