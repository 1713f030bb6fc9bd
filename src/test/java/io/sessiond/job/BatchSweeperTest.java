package io.sessiond.job;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a sweep drains a backlog: batch after batch while they come back full. */
class BatchSweeperTest {

    @Test
    void drainsUntilABatchComesBackShort() {
        int[] backlog = {23};
        List<Integer> asked = new ArrayList<>();
        int total = BatchSweeper.drain(size -> {
            asked.add(size);
            int swept = Math.min(size, backlog[0]);
            backlog[0] -= swept;
            return swept;
        }, 10);
        assertEquals(23, total);
        assertEquals(List.of(10, 10, 10), asked);
    }

    @Test
    void aBacklogOfWholeBatchesTakesOneEmptyBatchMore() {
        int[] backlog = {20};
        int[] batches = {0};
        int total = BatchSweeper.drain(size -> {
            batches[0]++;
            int swept = Math.min(size, backlog[0]);
            backlog[0] -= swept;
            return swept;
        }, 10);
        assertEquals(20, total);
        assertEquals(3, batches[0]);
    }

    @Test
    void nothingDueIsOneEmptyBatch() {
        int[] batches = {0};
        assertEquals(0, BatchSweeper.drain(size -> {
            batches[0]++;
            return 0;
        }, 10));
        assertEquals(1, batches[0]);
    }
}
