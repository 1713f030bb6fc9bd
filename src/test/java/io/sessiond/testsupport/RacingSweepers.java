package io.sessiond.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two sweepers started at the same instant, as two instances on one database would run them: each sweeps
 * bounded batches until it finds nothing more. What both removed is returned, so a test can show that
 * every row was removed exactly once.
 */
public final class RacingSweepers {

    private RacingSweepers() {
    }

    /** {@code sweep} removes at most {@code batchSize} rows in one transaction and returns their ids. */
    public static <T> List<T> race(IntFunction<List<T>> sweep, int batchSize) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        Callable<List<T>> sweeper = () -> {
            start.await();
            List<T> swept = new ArrayList<>();
            List<T> batch;
            do {
                batch = sweep.apply(batchSize);
                assertTrue(batch.size() <= batchSize, "a sweep transaction is bounded by the batch size");
                swept.addAll(batch);
            } while (!batch.isEmpty());
            return swept;
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<T>> first = pool.submit(sweeper);
            Future<List<T>> second = pool.submit(sweeper);
            start.countDown();
            List<T> all = new ArrayList<>(first.get(30, TimeUnit.SECONDS));
            all.addAll(second.get(30, TimeUnit.SECONDS));
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
