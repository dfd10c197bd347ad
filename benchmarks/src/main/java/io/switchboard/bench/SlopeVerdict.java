package io.switchboard.bench;

/**
 * Whether a series rises over the soak: the least-squares line through its samples from
 * {@code fromSeconds} on (the warm-up left out), its slope per hour against the metric's allowance
 * ({@link SoakMetric#allowedPerHour}): above it is {@code GROWING}, else {@code flat} (a falling
 * series too: the question is a leak). The slope's standard error says how much of it noise can
 * explain: a short run's slopes are mostly noise.
 *
 * @param samples        the samples the line was fitted to (NaN ones left out)
 * @param perHour        the slope, in the metric's unit per hour
 * @param standardError  of the slope, per hour
 * @param allowedPerHour the allowance for this series
 * @param percentPerHour the slope as a share of the mean, null when the mean is 0
 * @param verdict        {@code flat}, {@code GROWING}, or {@code unknown} with fewer than 3 samples
 */
record SlopeVerdict(SoakMetric metric, String name, int samples, double mean, double perHour, double standardError,
                    double allowedPerHour, Double percentPerHour, String verdict) {

    private static final int FEWEST_SAMPLES = 3;

    static SlopeVerdict of(SoakSeries series, double fromSeconds, double messagesPerSecond) {
        double[] hours = new double[series.values().length];
        double[] values = new double[series.values().length];
        int n = 0;
        for (int i = 0; i < series.values().length; i++) {
            if (series.seconds()[i] >= fromSeconds && !Double.isNaN(series.values()[i])) {
                hours[n] = series.seconds()[i] / 3600;
                values[n++] = series.values()[i];
            }
        }
        double meanX = mean(hours, n);
        double meanY = mean(values, n);
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (hours[i] - meanX) * (hours[i] - meanX);
            sxy += (hours[i] - meanX) * (values[i] - meanY);
        }
        if (n < FEWEST_SAMPLES || sxx == 0) {
            return new SlopeVerdict(series.metric(), series.name(), n, meanY, Double.NaN, Double.NaN, Double.NaN, null,
                    "unknown");
        }
        double slope = sxy / sxx;
        double residuals = 0;
        for (int i = 0; i < n; i++) {
            double residual = values[i] - meanY - slope * (hours[i] - meanX);
            residuals += residual * residual;
        }
        double standardError = Math.sqrt(residuals / (n - 2) / sxx);
        double allowed = series.metric().allowedPerHour(meanY, messagesPerSecond);
        return new SlopeVerdict(series.metric(), series.name(), n, meanY, slope, standardError, allowed,
                meanY == 0 ? null : 100 * slope / Math.abs(meanY), slope > allowed ? "GROWING" : "flat");
    }

    private static double mean(double[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum / n;
    }

    boolean growing() {
        return verdict.equals("GROWING");
    }

    /** Whether noise could have decided the verdict: the slope lies within two standard errors of the allowance. */
    boolean withinNoise() {
        return Math.abs(perHour - allowedPerHour) < 2 * standardError;
    }
}
