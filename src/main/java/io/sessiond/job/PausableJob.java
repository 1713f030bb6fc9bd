package io.sessiond.job;

import io.quarkus.scheduler.Scheduler;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A scheduled job that can be paused for certain. The scheduler's own pause only stops the runs it has not
 * yet dispatched: a run dispatched just before it may still start, and one in progress goes on. Here a run
 * started after {@link #pause()} does nothing, and {@code pause()} returns only once a run in progress has
 * finished, so that a test (or an operator) that paused the job knows no run touches the data it looks at.
 * A job that runs on a thread of its own rather than the scheduler's ({@link #unscheduled()}) keeps the same
 * promise.
 */
public final class PausableJob {

    /** Null for an unscheduled job, which is paused by {@link #paused} alone. */
    private final Scheduler scheduler;
    private final String identity;
    private volatile boolean paused;
    /** Held by a run in progress, so that {@link #pause()} can wait it out. */
    private final ReentrantLock running = new ReentrantLock();

    public PausableJob(Scheduler scheduler, String identity) {
        this.scheduler = scheduler;
        this.identity = identity;
    }

    /** A job its owner runs on a thread of its own, with the same pause. */
    public static PausableJob unscheduled() {
        return new PausableJob(null, null);
    }

    /** Runs {@code work} unless the job is paused (the scheduled method's whole body); returns whether it ran. */
    public boolean run(Runnable work) {
        running.lock();
        try {
            if (isPaused()) {
                return false;
            }
            work.run();
            return true;
        } finally {
            running.unlock();
        }
    }

    public boolean isPaused() {
        return scheduler == null ? paused : scheduler.isPaused(identity);
    }

    /** Pauses the job and waits for a run in progress to finish; no run does anything until {@link #resume()}. */
    public void pause() {
        if (scheduler == null) {
            paused = true;
        } else {
            scheduler.pause(identity);
        }
        running.lock();
        running.unlock();
    }

    public void resume() {
        if (scheduler == null) {
            paused = false;
        } else {
            scheduler.resume(identity);
        }
    }
}
