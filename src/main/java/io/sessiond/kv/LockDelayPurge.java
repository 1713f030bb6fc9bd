package io.sessiond.kv;

import io.quarkus.scheduler.Scheduled;
import io.sessiond.index.DatabaseUnreachable;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Drops lock-delays that have run out, so the table holds only the ones still in force. */
@ApplicationScoped
public class LockDelayPurge {

    private static final Logger LOG = Logger.getLogger(LockDelayPurge.class);

    private final KvService kv;

    public LockDelayPurge(KvService kv) {
        this.kv = kv;
    }

    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        DatabaseUnreachable.quietWhileUnreachable(LOG, "lock-delay-purge", kv::purgeExpiredLockDelays);
    }
}
