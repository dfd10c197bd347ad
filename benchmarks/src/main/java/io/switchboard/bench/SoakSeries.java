package io.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * One metric of one service (or consumer group, or the traffic) over the soak: a value per sample,
 * NaN where it could not be read.
 *
 * @param name    the service's module, the consumer group's id, or {@code traffic}
 * @param seconds each sample's time since the soak's traffic started
 */
record SoakSeries(SoakMetric metric, String name, double[] seconds, double[] values) {

    private static final double MIB = 1024 * 1024;

    /** Every series the samples hold, metric by metric in {@link SoakMetric} order. */
    static List<SoakSeries> of(List<SoakSample> samples) {
        List<SoakSeries> series = new ArrayList<>();
        Set<String> services = samples.isEmpty() ? Set.of() : samples.getFirst().services().keySet();
        Set<String> groups = new LinkedHashSet<>();
        samples.forEach(sample -> groups.addAll(sample.consumerLag().keySet()));
        for (SoakMetric metric : List.of(SoakMetric.HEAP_AFTER_GC, SoakMetric.RESIDENT, SoakMetric.OPEN_FILES,
                SoakMetric.THREADS)) {
            for (String service : services) {
                series.add(of(samples, metric, service, s -> serviceValue(metric, s.services().get(service))));
            }
        }
        for (String group : groups) {
            series.add(of(samples, SoakMetric.CONSUMER_LAG, group, s -> s.consumerLag().getOrDefault(group, -1L)));
        }
        series.add(of(samples, SoakMetric.MESSAGES_STORED, "traffic", SoakSample::acceptedPerSecond));
        series.add(of(samples, SoakMetric.DELIVERY_P99, "traffic", SoakSample::p99DeliveryMillis));
        series.add(of(samples, SoakMetric.CONNECTIONS, "traffic", SoakSample::openConnections));
        return series;
    }

    private static SoakSeries of(List<SoakSample> samples, SoakMetric metric, String name,
                                 ToDoubleFunction<SoakSample> value) {
        return new SoakSeries(metric, name, samples.stream().mapToDouble(SoakSample::elapsedSeconds).toArray(),
                samples.stream().mapToDouble(value).map(v -> v < 0 ? Double.NaN : v).toArray());   // -1: not read
    }

    private static double serviceValue(SoakMetric metric, ServiceSampler.ServiceFigures figures) {
        return switch (metric) {
            case HEAP_AFTER_GC -> figures.heapAfterGcBytes() / MIB;
            case RESIDENT -> figures.residentBytes() / MIB;
            case OPEN_FILES -> figures.openFiles();
            case THREADS -> figures.threads();
            default -> throw new IllegalArgumentException(metric + " is not a service's figure");
        };
    }
}
