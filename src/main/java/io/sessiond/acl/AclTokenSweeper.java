package io.sessiond.acl;

import io.quarkus.scheduler.Scheduler;
import io.sessiond.config.SessiondConfig;
import io.sessiond.job.BatchSweeper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Removes expired ACL tokens in bounded batches, on the session sweeper's schedule and batch size
 * ({@code sessiond.sweeper.*}), while ACLs are enabled. An expired token is already refused everywhere; this
 * only frees its row. Safe on several instances against one database: see
 * {@link AclService#sweepExpiredTokens(int)}.
 */
@ApplicationScoped
public class AclTokenSweeper extends BatchSweeper {

    private final SessiondConfig config;

    public AclTokenSweeper(AclService acl, Scheduler scheduler, SessiondConfig config) {
        super(scheduler, "acl-token-sweeper", config.sweeper().batchSize(), acl::sweepExpiredTokens,
                "Removed %d expired ACL token(s)");
        this.config = config;
    }

    @Override
    protected void sweep() {
        if (config.acl().enabled()) {
            super.sweep();
        }
    }
}
