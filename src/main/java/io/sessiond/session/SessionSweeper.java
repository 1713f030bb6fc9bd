package io.sessiond.session;

import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import io.sessiond.job.BatchSweeper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Removes expired sessions through the one invalidation path, in bounded batches. Safe to run on several
 * instances against one database: see {@link SessionService#sweepExpired(int)}.
 */
@ApplicationScoped
public class SessionSweeper extends BatchSweeper {

    public SessionSweeper(SessionService sessions, Scheduler scheduler, SessiondConfig config) {
        super(scheduler, "session-sweeper", config.sweeper().batchSize(), sessions::sweepExpired,
                "Expired %d session(s)");
    }
}
