package io.switchboard.bench;

import io.switchboard.stack.StackService;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads what each service's JVM holds, as an operator watching for leaks would: the heap that is
 * live after a collection, the resident set, open files and threads.
 *
 * <p>The heap figure is Micrometer's {@code jvm_gc_live_data_size_bytes} from the service's
 * Prometheus endpoint: the old generation right after the last collection that reclaimed it. G1
 * collects the old generation only when it fills to its threshold, which a steady service may not
 * reach for an hour, so the figure would stay as it was (0 before the first such collection) and
 * hide a leak. With {@code forceGc} each sample first asks every service for a full collection,
 * so the figure is the live heap at that moment; the price is one full pause per service per
 * sample, which shows in that interval's latency.
 */
final class ServiceSampler {

    /** One service's JVM at one moment; -1 (NaN for the heap) where it could not be read. */
    record ServiceFigures(double heapAfterGcBytes, long residentBytes, long openFiles, long threads) {
    }

    private final BenchStack bench;
    private final boolean forceGc;

    ServiceSampler(BenchStack bench, boolean forceGc) {
        this.bench = bench;
        this.forceGc = forceGc;
    }

    boolean forcesGc() {
        return forceGc;
    }

    /** Every service's figures, by module name, in {@link StackService} order. */
    Map<String, ServiceFigures> sample() throws IOException, InterruptedException {
        if (forceGc) {
            for (StackService service : StackService.values()) {
                JvmMemory.collectGarbage(bench.pid(service));
            }
        }
        Map<String, ServiceFigures> figures = new LinkedHashMap<>();
        for (StackService service : StackService.values()) {
            long pid = bench.pid(service);
            double liveHeap = PrometheusMetrics.value(bench.stack().managementUrl(service),
                    "jvm_gc_live_data_size_bytes", "");
            figures.put(service.module(), new ServiceFigures(liveHeap > 0 ? liveHeap : Double.NaN,
                    ProcStatus.residentBytes(pid), ProcStatus.openFiles(pid), ProcStatus.threads(pid)));
        }
        return figures;
    }
}
