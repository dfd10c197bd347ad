package io.switchboard.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of durations measured in nanoseconds, reported in milliseconds. */
final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    static Percentiles of(Collection<Long> nanos) {
        long[] values = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(values);
        return new Percentiles(values);
    }

    /** The {@code p}-th percentile in milliseconds (nearest rank); NaN when nothing was measured. */
    double millis(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)] / 1e6;
    }

    double maxMillis() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    int count() {
        return sorted.length;
    }
}
