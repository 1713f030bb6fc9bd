package io.sessiond.kv;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Drops lock-delays that have run out, so the table holds only the ones still in force. */
@ApplicationScoped
public class LockDelayPurge {

    private final KvService kv;

    public LockDelayPurge(KvService kv) {
        this.kv = kv;
    }

    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        kv.purgeExpiredLockDelays();
    }
}
