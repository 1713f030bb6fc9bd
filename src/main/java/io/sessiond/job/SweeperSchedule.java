package io.sessiond.job;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

/**
 * Schedules every {@link BatchSweeper} at start-up, each as its own job under its own identity: every
 * {@code sessiond.sweeper.interval}, a run skipped while the previous one still sweeps. One declaration for all
 * sweepers, so that they cannot drift apart in how they are scheduled.
 */
@ApplicationScoped
class SweeperSchedule {

    void schedule(@Observes StartupEvent started, Scheduler scheduler, SessiondConfig config,
            @Any Instance<BatchSweeper> sweepers) {
        for (BatchSweeper sweeper : sweepers) {
            scheduler.newJob(sweeper.identity())
                    .setInterval(config.sweeper().interval())
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setTask(execution -> sweeper.sweep())
                    .schedule();
        }
    }
}
