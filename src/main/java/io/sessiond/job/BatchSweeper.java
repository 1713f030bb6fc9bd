package io.sessiond.job;

import io.quarkus.scheduler.Scheduler;
import io.sessiond.index.DatabaseUnreachable;
import io.sessiond.metrics.SessiondMetrics;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * A pausable job that removes what has expired in bounded batches, so that a large backlog becomes many
 * short transactions instead of one giant one. A subclass names the job and says how one batch is swept (safely
 * on several instances against one database); {@link SweeperSchedule} schedules every subclass the same way.
 */
public abstract class BatchSweeper {

    private final String identity;
    private final PausableJob job;
    private final int batchSize;
    private final IntFunction<? extends Collection<?>> sweepBatch;
    private final Logger log;
    private final String sweptMessage;
    private SessiondMetrics metrics;

    /** For the CDI client proxy of a subclass, which delegates every call and never sweeps itself. */
    protected BatchSweeper() {
        this.identity = null;
        this.job = null;
        this.batchSize = 0;
        this.sweepBatch = null;
        this.log = null;
        this.sweptMessage = null;
    }

    /**
     * {@code sweepBatch} removes at most its argument's number of expired rows in one transaction and returns
     * them; {@code sweptMessage} is logged at debug level, in the subclass's category, with the number a run
     * swept, if any.
     */
    protected BatchSweeper(Scheduler scheduler, String identity, int batchSize,
            IntFunction<? extends Collection<?>> sweepBatch, String sweptMessage) {
        this.identity = identity;
        this.job = new PausableJob(scheduler, identity);
        this.batchSize = batchSize;
        this.sweepBatch = sweepBatch;
        this.log = Logger.getLogger(getClass());
        this.sweptMessage = sweptMessage;
    }

    /** Injected by CDI into every subclass bean: each run's time and count go to {@link SessiondMetrics#SWEEP_BATCH}. */
    @Inject
    public void recordRunsIn(SessiondMetrics metrics) {
        this.metrics = metrics;
    }

    /** The scheduler identity, so that tests and operators can pause this job. */
    public String identity() {
        return identity;
    }

    /** One scheduled run: drains the backlog unless the job is paused. */
    protected void sweep() {
        job.run(() -> DatabaseUnreachable.quietWhileUnreachable(log, identity, () -> {
            long started = System.nanoTime();
            int total = drain(size -> sweepBatch.apply(size).size(), batchSize);
            metrics.swept(identity, total, System.nanoTime() - started);
            if (total > 0) {
                log.debugf(sweptMessage, total);
            }
        }));
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
    public static int drain(IntUnaryOperator sweepBatch, int batchSize) {
        int total = 0;
        int swept;
        do {
            swept = sweepBatch.applyAsInt(batchSize);
            total += swept;
        } while (swept == batchSize);
        return total;
    }
}
