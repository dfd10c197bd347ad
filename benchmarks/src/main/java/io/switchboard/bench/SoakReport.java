package io.switchboard.bench;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The soak's outcome: a verdict on each judged series' slope after the warm-up, printed, and the
 * series with those verdicts written as {@code soak-<stamp>.json} and {@code soak-<stamp>.png}.
 */
final class SoakReport {

    /** What was run, as the JSON file records it; {@code maximumMessagesPerSecond} null when BENCH_RATE was given. */
    record Run(String startedAt, int cores, int users, int groupSize, int browserUsers, Double maximumMessagesPerSecond,
               double messagesPerSecond, int seconds, int sampleSeconds, boolean heapAfterForcedGc,
               double warmUpSeconds) {
    }

    private record SeriesJson(String metric, String name, String unit, List<Double> seconds, List<Double> values) {
    }

    private record VerdictJson(String metric, String name, String unit, int samples, Double mean, Double perHour,
                               Double standardErrorPerHour, Double percentPerHour, String allowed, String verdict) {
    }

    private record Document(Run run, List<SeriesJson> series, List<VerdictJson> verdicts, String overall) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Run run;
    private final List<SoakSeries> series;
    private final List<SlopeVerdict> verdicts;

    SoakReport(Run run, List<SoakSample> samples) {
        this.run = run;
        this.series = SoakSeries.of(samples);
        this.verdicts = series.stream().filter(s -> s.metric().judged())
                .map(s -> SlopeVerdict.of(s, run.warmUpSeconds(), run.messagesPerSecond())).toList();
    }

    /** One line per judged series, then the overall verdict. */
    String verdicts() {
        StringBuilder lines = new StringBuilder(String.format(Locale.ROOT,
                "slopes of the samples from %.1f min on (the warm-up left out), least squares, ± one standard error:%n", run.warmUpSeconds() / 60));
        int nameWidth = verdicts.stream().mapToInt(v -> v.name().length()).max().orElse(1);
        for (SlopeVerdict v : verdicts) {
            String unit = v.metric().unit();
            lines.append(String.format(Locale.ROOT, "  %-14s %-" + nameWidth + "s mean %,9.1f %-7s slope %+,9.1f ± %,7.1f %s/h%s, allowed %s: %s%n",
                    v.metric().label(), v.name(), v.mean(), unit, v.perHour(), v.standardError(), unit,
                    v.metric().relative() && v.percentPerHour() != null
                            ? String.format(Locale.ROOT, " (%+.1f %%/h)", v.percentPerHour()) : "",
                    allowed(v.metric()), v.verdict()));
        }
        return lines.append("overall: ").append(overall()).toString();
    }

    /**
     * {@code flat}, or {@code GROWING} with the series that grew, naming those whose verdict noise
     * could have decided (a longer run tells them apart).
     */
    String overall() {
        List<String> growing = names(verdicts.stream().filter(SlopeVerdict::growing));
        List<String> undecided = names(verdicts.stream().filter(SlopeVerdict::withinNoise));
        long unknown = verdicts.stream().filter(v -> v.verdict().equals("unknown")).count();
        return (growing.isEmpty() ? "flat" : "GROWING: " + String.join(", ", growing))
                + String.format(Locale.ROOT, " (%d series judged%s)", verdicts.size() - unknown,
                unknown > 0 ? ", " + unknown + " with too few samples" : "")
                + (undecided.isEmpty() ? "" : "; within two standard errors of the allowance, so noise may have "
                + "decided: " + String.join(", ", undecided));
    }

    private static List<String> names(Stream<SlopeVerdict> verdicts) {
        return verdicts.map(v -> v.name() + " " + v.metric().label()).toList();
    }

    /** Writes {@code soak-<stamp>.json} and {@code soak-<stamp>.png} into {@code directory}; returns their paths. */
    List<Path> write(Path directory, String stamp) throws IOException {
        Files.createDirectories(directory);
        Path json = directory.resolve("soak-" + stamp + ".json");
        Path png = directory.resolve("soak-" + stamp + ".png");
        JSON.writeValue(json.toFile(), new Document(run, series.stream().map(s -> new SeriesJson(s.metric().label(),
                s.name(), s.metric().unit(), finite(s.seconds()), finite(s.values()))).toList(),
                verdicts.stream().map(v -> new VerdictJson(v.metric().label(), v.name(), v.metric().unit(), v.samples(),
                        finite(v.mean()), finite(v.perHour()), finite(v.standardError()), v.percentPerHour(),
                        allowed(v.metric()), v.verdict()))
                        .toList(), overall()));
        SoakChart.write(series, run.warmUpSeconds(), png);
        return List.of(json, png);
    }

    /** The metric's allowance, with what it comes to in records for the lag. */
    private String allowed(SoakMetric metric) {
        return metric == SoakMetric.CONSUMER_LAG ? String.format(Locale.ROOT, "%s (%,.0f records/h)",
                metric.allowanceText(), metric.allowedPerHour(0, run.messagesPerSecond())) : metric.allowanceText();
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static List<Double> finite(double[] values) {
        return Arrays.stream(values).mapToObj(SoakReport::finite).collect(Collectors.toList());
    }
}
