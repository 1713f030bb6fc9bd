package io.sessiond.metrics;

/**
 * Count, sum, minimum, maximum and sum of squares of the values recorded, for the statistics Consul reports
 * of each sample (its {@code Min}, {@code Stddev}, ...), which a Micrometer timer does not keep.
 */
public final class RunningStats {

    /** What was recorded up to one moment. */
    public record Snapshot(long count, double sum, double min, double max, double sumOfSquares) {

        public double mean() {
            return count == 0 ? 0 : sum / count;
        }

        /** The sample standard deviation, as go-metrics computes it (0 below two values). */
        public double stddev() {
            if (count < 2) {
                return 0;
            }
            double variance = (sumOfSquares - sum * sum / count) / (count - 1);
            return variance > 0 ? Math.sqrt(variance) : 0;
        }
    }

    private long count;
    private double sum;
    private double min;
    private double max;
    private double sumOfSquares;

    public synchronized void add(double value) {
        if (count == 0 || value < min) {
            min = value;
        }
        if (count == 0 || value > max) {
            max = value;
        }
        count++;
        sum += value;
        sumOfSquares += value * value;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(count, sum, min, max, sumOfSquares);
    }
}
