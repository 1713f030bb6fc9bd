package io.sessiond.web;

import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import io.sessiond.job.BatchSweeper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Removes idle-timed-out web sessions in bounded batches, on the same schedule and batch size as the
 * session sweeper ({@code sessiond.sweeper.*}). Safe on several instances against one database: see
 * {@link WebSessionService#sweepExpired(int)}.
 */
@ApplicationScoped
public class WebSessionSweeper extends BatchSweeper {

    public WebSessionSweeper(WebSessionService sessions, Scheduler scheduler, SessiondConfig config) {
        super(scheduler, "web-session-sweeper", config.sweeper().batchSize(), sessions::sweepExpired,
                "Removed %d timed-out web session(s)");
    }
}
