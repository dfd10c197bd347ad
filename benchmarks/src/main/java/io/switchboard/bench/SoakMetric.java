package io.switchboard.bench;

/**
 * What the soak follows over time, each with its unit and how much it may rise per hour and still
 * count as flat. A service that holds a steady load should hold steady memory, descriptors,
 * threads and backlog; the allowances leave room for noise of a run's length, not for a leak.
 */
enum SoakMetric {
    /** Live heap after a collection: a leak of objects. Allowed: 5 % of its mean per hour. */
    HEAP_AFTER_GC("heap after GC", "MiB", 5, true),
    /** The whole process (heap as committed, metaspace, thread stacks, native buffers): 10 %/h, as the JVM sizes itself. */
    RESIDENT("resident set", "MiB", 10, true),
    /** Sockets and files: steady traffic opens as many as it closes, so one per 10 minutes is a leak. */
    OPEN_FILES("open files", "files", 6, false),
    /** OS threads: pools grow and shrink with load but should not creep; one per 10 minutes is a leak. */
    THREADS("threads", "threads", 6, false),
    /**
     * Records a consumer group is behind: a group that falls behind by more than 10 seconds of the
     * soak's messages per hour cannot keep up at this rate.
     */
    CONSUMER_LAG("consumer lag", "records", 10, false),
    /** Messages stored per second: the rate the soak asked for, if the system keeps it. No verdict. */
    MESSAGES_STORED("messages stored", "msg/s", Double.NaN, false),
    /** Delivery latency, p99 over an interval. No verdict: its trend is read off the plot. */
    DELIVERY_P99("delivery p99", "ms", Double.NaN, false),
    /** Push connections the load holds; they close only if push-service ends them. No verdict. */
    CONNECTIONS("push connections", "connections", Double.NaN, false);

    private final String label;
    private final String unit;
    private final double allowance;
    private final boolean relative;

    SoakMetric(String label, String unit, double allowance, boolean relative) {
        this.label = label;
        this.unit = unit;
        this.allowance = allowance;
        this.relative = relative;
    }

    String label() {
        return label;
    }

    String unit() {
        return unit;
    }

    /** Whether the soak gives a verdict on this metric's slope. */
    boolean judged() {
        return !Double.isNaN(allowance);
    }

    /** Whether the allowance is a share of the series' mean. */
    boolean relative() {
        return relative;
    }

    /**
     * The rise per hour a series of this metric may show and still be flat: {@code mean} is the
     * series' mean, {@code messagesPerSecond} the soak's rate.
     */
    double allowedPerHour(double mean, double messagesPerSecond) {
        if (this == CONSUMER_LAG) {
            return allowance * messagesPerSecond;
        }
        return relative ? allowance / 100 * Math.abs(mean) : allowance;
    }

    /** The allowance as it is stated, e.g. {@code 5 %/h} or {@code 10 s of traffic/h}. */
    String allowanceText() {
        if (this == CONSUMER_LAG) {
            return String.format(java.util.Locale.ROOT, "%.0f s of traffic/h", allowance);
        }
        return String.format(java.util.Locale.ROOT, relative ? "%.0f %%/h" : "%.0f %s/h", allowance, unit);
    }
}
