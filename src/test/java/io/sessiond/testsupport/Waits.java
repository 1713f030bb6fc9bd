package io.sessiond.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting in tests without long sleeps: for a condition until a deadline, or through a period with a check
 * every {@link #STEP}, so that a loaded machine makes a test slower, never wrong, and no sleep is longer
 * than the suite's 200 ms rule.
 */
public final class Waits {

    /** How often a condition is looked at. */
    public static final Duration STEP = Duration.ofMillis(100);

    private Waits() {
    }

    /** Returns once {@code condition} holds; fails with {@code what} if it did not within {@code limit}. */
    public static void until(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " (not within " + limit + ")");
            Thread.sleep(STEP.toMillis());
        }
    }

    /**
     * Runs {@code check} every {@link #STEP} until {@code period} has passed (at least once, and once at its
     * end): for what must stay true for a while, e.g. a session that must outlive several TTLs.
     */
    public static void throughout(Duration period, Runnable check) throws InterruptedException {
        long end = System.nanoTime() + period.toNanos();
        check.run();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(STEP.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            check.run();
        }
    }
}
