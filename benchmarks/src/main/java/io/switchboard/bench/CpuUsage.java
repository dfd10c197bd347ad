package io.switchboard.bench;

import io.switchboard.stack.ManagedProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the machine's CPU went during a phase, from Linux's {@code /proc}: the share of all cores'
 * time each process of the stack and this benchmark used, what other processes used, and what was
 * idle. It tells whether a figure was bound by the cores, and by whom; on a system without
 * {@code /proc} it reports nothing.
 */
final class CpuUsage {

    private final Map<String, Long> pids;
    private final long[] machineStart;
    private final Map<String, Long> processStart;

    private CpuUsage(Map<String, Long> pids) {
        this.pids = pids;
        this.machineStart = machineTicks();
        this.processStart = processTicks(pids);
    }

    /** Starts measuring the given processes and this one (named {@code bench}). */
    static CpuUsage start(List<ManagedProcess> processes) {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach(process -> pids.put(process.name(), process.pid()));
        pids.put("bench", ProcessHandle.current().pid());
        return new CpuUsage(pids);
    }

    /**
     * Adds processes started after {@link #start} (the stack a start benchmark brings up): all their
     * CPU time counts, since they had none before.
     */
    void include(List<ManagedProcess> started) {
        started.forEach(process -> pids.putIfAbsent(process.name(), process.pid()));
    }

    /** The shares since {@link #start}, e.g. {@code message-service 48 %, kafka 9 %, ..., others 3 %, idle 0 %}. */
    String report() {
        long[] machineEnd = machineTicks();
        if (machineStart == null || machineEnd == null) {
            return "CPU shares unknown (no /proc/stat)";
        }
        double total = machineEnd[0] - machineStart[0];
        double idle = machineEnd[1] - machineStart[1];
        Map<String, Long> processEnd = processTicks(pids);
        long ours = 0;
        Map<String, Long> used = new LinkedHashMap<>();
        for (String name : pids.keySet()) {
            long ticks = processEnd.getOrDefault(name, 0L) - processStart.getOrDefault(name, 0L);
            used.put(name, ticks);
            ours += ticks;
        }
        double others = Math.max(0, total - idle - ours);
        String shares = used.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100 * e.getValue() / total))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "CPU (share of all %d cores): %s, other processes %.0f %%, idle %.0f %%",
                Runtime.getRuntime().availableProcessors(), shares, 100 * others / total, 100 * idle / total);
    }

    /** All cores' ticks since boot: {total, idle + iowait}, or null without /proc. */
    private static long[] machineTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[]{total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** User + system ticks of each live process (a process that is gone counts as 0). */
    private static Map<String, Long> processTicks(Map<String, Long> pids) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // the command name in parentheses may hold spaces; the fields after it are fixed
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            } catch (IOException | RuntimeException e) {
                ticks.put(name, 0L);
            }
        });
        return ticks;
    }
}
