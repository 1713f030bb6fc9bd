package io.sessiond.session;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sessiond.config.SessiondConfig;
import io.sessiond.go.GoDuration;
import io.sessiond.index.ChangeListener;
import io.sessiond.index.Table;
import io.sessiond.job.BatchSweeper;
import io.sessiond.job.PausableJob;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs {@link SessionExpiry} when a session is due, on a thread of its own: it sleeps until the earliest
 * deadline it read from the database, so a session ends within milliseconds of its TTL x 2, and sweeps
 * nothing while nothing is due. Only a create can bring the earliest deadline nearer, and no session is
 * due sooner than twice the shortest TTL allowed after its create: a change of the sessions table (any
 * instance's, from {@link ChangeListener}) makes it read the deadline again within that shortest TTL. A
 * deferred kill made through this instance wakes it for its stop time ({@link #dueIn}). It never sleeps
 * longer than {@code sessiond.sweeper.interval}, which bounds what a lost notification could delay. Every
 * instance runs one; {@link SessionExpiry#sweepExpired} makes sure each session is ended by one of them.
 */
@ApplicationScoped
public class SessionSweeper {

    private static final Logger LOG = Logger.getLogger(SessionSweeper.class);

    /**
     * After a sweep that found sessions due but ended none (their rows held by a renewal, an acquisition or
     * another instance's sweep), the pause before looking again, so that the sweeper does not spin.
     */
    private static final long RETRY_HELD_NANOS = Duration.ofMillis(10).toNanos();
    /** Woken just after a deadline rather than just before it, which would cost a second look. */
    private static final long PAST_DEADLINE_NANOS = Duration.ofMillis(1).toNanos();

    private final SessionExpiry expiry;
    private final ChangeListener changes;
    private final int batchSize;
    private final long longestSleepNanos;
    private final long createLeadNanos;
    private final PausableJob job = PausableJob.unscheduled();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    /** When the thread looks next, in {@link System#nanoTime()}; guarded by {@link #lock}. */
    private long lookAt;
    private volatile boolean running;
    private Thread thread;

    public SessionSweeper(SessionExpiry expiry, ChangeListener changes, SessiondConfig config) {
        this.expiry = expiry;
        this.changes = changes;
        this.batchSize = config.sweeper().batchSize();
        this.longestSleepNanos = nanos(config.sweeper().interval());
        this.createLeadNanos = config.session().ttlMin().toNanos();
    }

    /** After the schema migration and the node's registration start: starts the sweeper's thread. */
    void start(@Observes @Priority(2) StartupEvent startup) {
        running = true;
        thread = new Thread(this::sweepWhileRunning, "sessiond-session-sweeper");
        thread.setDaemon(true);
        thread.start();
        watchSessions(0);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(2).toMillis());
        }
    }

    /** A session's deadline is {@code delay} from now (a deferred kill): the sweeper looks then, if not sooner. */
    public void dueIn(Duration delay) {
        lookBy(System.nanoTime() + delay.toNanos() + PAST_DEADLINE_NANOS);
    }

    /** Stops sweeping for certain: see {@link PausableJob#pause()}. */
    public void pause() {
        job.pause();
    }

    public void resume() {
        job.resume();
        lookBy(System.nanoTime());
    }

    private void sweepWhileRunning() {
        while (running) {
            lock.lock();
            try {
                // A wake-up asked for while this sweep runs lowers this; the sweep's own plan may lower it further.
                lookAt = System.nanoTime() + longestSleepNanos;
            } finally {
                lock.unlock();
            }
            long next = System.nanoTime() + longestSleepNanos;
            try {
                long[] planned = {next};
                job.run(() -> planned[0] = sweepDue());
                next = planned[0];
            } catch (RuntimeException e) {
                LOG.warnf("Ending expired sessions failed (%s); trying again", e.getMessage());
            }
            sleepUntil(next);
        }
    }

    /**
     * Ends every session due now, batch after batch, then returns when to look again ({@link System#nanoTime()}):
     * just after the next deadline, or after the longest sleep when that is sooner or there is none.
     */
    private long sweepDue() {
        Optional<Duration> untilNext = expiry.untilNextDeadline();
        while (isDue(untilNext)) {
            int ended = BatchSweeper.drain(size -> expiry.sweepExpired(size).size(), batchSize);
            if (ended > 0) {
                LOG.debugf("Expired %d session(s)", ended);
            }
            untilNext = expiry.untilNextDeadline();
            if (ended == 0 && isDue(untilNext)) {
                return System.nanoTime() + RETRY_HELD_NANOS;
            }
        }
        long sleep = untilNext.map(until -> until.toNanos() + PAST_DEADLINE_NANOS).orElse(longestSleepNanos);
        return System.nanoTime() + Math.min(sleep, longestSleepNanos);
    }

    private static boolean isDue(Optional<Duration> untilNext) {
        return untilNext.isPresent() && (untilNext.get().isNegative() || untilNext.get().isZero());
    }

    private void sleepUntil(long next) {
        lock.lock();
        try {
            if (next - lookAt < 0) {
                lookAt = next;
            }
            long remaining;
            while (running && (remaining = lookAt - System.nanoTime()) > 0) {
                woken.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the sweeper look at {@code at} ({@link System#nanoTime()}) if it meant to sleep longer. */
    private void lookBy(long at) {
        lock.lock();
        try {
            if (at - lookAt < 0) {
                lookAt = at;
                woken.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Each change of the sessions table past {@code seen} may be a create: look again before it can be due. */
    private void watchSessions(long seen) {
        changes.changeAfter(Table.SESSIONS, seen).thenAccept(index -> {
            lookBy(System.nanoTime() + createLeadNanos);
            if (running) {
                watchSessions(index);
            }
        });
    }

    /** The configured interval, written as the scheduler takes it: a Go-style duration or ISO-8601. */
    private static long nanos(String interval) {
        return interval.startsWith("P") || interval.startsWith("p") ? Duration.parse(interval).toNanos()
                : GoDuration.parse(interval);
    }
}
