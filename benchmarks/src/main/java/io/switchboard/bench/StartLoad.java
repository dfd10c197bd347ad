package io.switchboard.bench;

import io.switchboard.stack.LocalStack;
import io.switchboard.stack.Net;
import io.switchboard.stack.Stack;
import io.switchboard.stack.StackService;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ./switchboard bench start}: how long the local stack takes to be ready, the build aside
 * (the command builds first when a source changed). It starts the stack as {@code ./switchboard start}
 * does, with the same settings, on free ports and a fresh data folder: a first start, then
 * {@code BENCH_RESTARTS} (2) restarts on the same data. For each: the moment each part was up
 * (Kafka, the registry, the schemas registered, each service ready), and the CPU time each process
 * used to get there.
 */
public final class StartLoad {

    private StartLoad() {
    }

    public static void main(String[] args) throws Exception {
        int restarts = BenchSettings.integer("BENCH_RESTARTS", 2);
        Path project = Path.of(System.getProperty("switchboard.project.dir", ".")).toAbsolutePath();
        Path data = Files.createTempDirectory("switchboard-bench-start");
        System.out.printf(Locale.ROOT, "start: the local stack's settings, data in %s; %d cores; load average before "
                + "start %.1f%n", data, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        // the same ports every time, as a developer's restarts have
        Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
        for (StackService service : StackService.values()) {
            ports.put(service, Net.freePort());
        }
        Stack.Config config = LocalStack.config(project, data, Net.freePort(), Net.freePort(), Net.freePort(),
                Net.freePort(), ports, "bench-start");
        for (int run = 0; run <= restarts; run++) {
            measure(run == 0 ? "first start (fresh data folder)" : "restart " + run + " (same data)", config);
        }
    }

    private static void measure(String name, Stack.Config config) {
        Map<String, Duration> parts = new LinkedHashMap<>();
        CpuUsage cpu = CpuUsage.start(List.of());
        long start = System.nanoTime();
        try (Stack stack = Stack.start(config, (part, elapsed) -> {
            synchronized (parts) {
                parts.put(part, elapsed);
            }
        })) {
            double ready = (System.nanoTime() - start) / 1e9;
            cpu.include(stack.processes());
            System.out.printf(Locale.ROOT, "%s: ready in %.1f s; up at: %s%n  %s%n", name, ready,
                    parts.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(),
                            e.getValue().toMillis() / 1e3)).collect(Collectors.joining(", ")), cpu.report());
        }
    }
}
