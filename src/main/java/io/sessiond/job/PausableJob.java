package io.sessiond.job;

import io.quarkus.scheduler.Scheduler;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A scheduled job that can be paused for certain. The scheduler's own pause only stops the runs it has not
 * yet dispatched: a run dispatched just before it may still start, and one in progress goes on. Here a run
 * started after {@link #pause()} does nothing, and {@code pause()} returns only once a run in progress has
 * finished, so that a test (or an operator) that paused the job knows no run touches the data it looks at.
 */
public final class PausableJob {

    private final Scheduler scheduler;
    private final String identity;
    /** Held by a run in progress, so that {@link #pause()} can wait it out. */
    private final ReentrantLock running = new ReentrantLock();

    public PausableJob(Scheduler scheduler, String identity) {
        this.scheduler = scheduler;
        this.identity = identity;
    }

    /** Runs {@code work} unless the job is paused; the scheduled method's whole body. */
    public void run(Runnable work) {
        running.lock();
        try {
            if (!scheduler.isPaused(identity)) {
                work.run();
            }
        } finally {
            running.unlock();
        }
    }

    /** Pauses the job and waits for a run in progress to finish; no run does anything until {@link #resume()}. */
    public void pause() {
        scheduler.pause(identity);
        running.lock();
        running.unlock();
    }

    public void resume() {
        scheduler.resume(identity);
    }
}
