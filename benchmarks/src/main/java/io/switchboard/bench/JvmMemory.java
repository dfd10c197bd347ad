package io.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The memory of a service's JVM on this machine, seen from outside: the live heap after a full
 * collection with what it is made of ({@code jcmd <pid> GC.class_histogram}, which collects
 * first), the resident set ({@code /proc/<pid>/status}) and the direct buffers (the service's
 * Prometheus metrics). Two snapshots apart, divided by the connections opened in between, give the
 * memory one connection costs.
 */
final class JvmMemory {

    /** One class's share of the live heap. */
    record ClassShare(long instances, long bytes) {
    }

    /**
     * @param liveHeapBytes all live objects after a full collection
     * @param residentBytes the process's resident set (heap, metaspace, thread stacks, native buffers...)
     * @param directBytes   direct {@code ByteBuffer}s, -1 if the metric could not be read
     * @param byClass       live heap by class name
     */
    record Snapshot(long liveHeapBytes, long residentBytes, long directBytes, Map<String, ClassShare> byClass) {
    }

    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    private JvmMemory() {
    }

    /** Collects the process's garbage (a full GC, through jcmd) and measures what is left. */
    static Snapshot take(long pid, String actuatorUrl) throws IOException, InterruptedException {
        String histogram = jcmd(pid, "GC.class_histogram");
        Map<String, ClassShare> byClass = new HashMap<>();
        long total = -1;
        for (String line : histogram.split("\n")) {
            Matcher row = HISTOGRAM_ROW.matcher(line);
            if (row.matches()) {
                byClass.merge(row.group(3), new ClassShare(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        (a, b) -> new ClassShare(a.instances() + b.instances(), a.bytes() + b.bytes()));
                continue;
            }
            Matcher sum = HISTOGRAM_TOTAL.matcher(line.trim());
            if (sum.matches()) {
                total = Long.parseLong(sum.group(2));
            }
        }
        if (total < 0) {
            throw new IllegalStateException("jcmd GC.class_histogram printed no total:\n" + histogram);
        }
        return new Snapshot(total, ProcStatus.residentBytes(pid), directBytes(actuatorUrl), byClass);
    }

    /**
     * The classes whose live heap grew most from {@code before} to {@code after}, each as bytes and
     * instances per {@code per} (connections), e.g. {@code byte[] 8,216 B (2.0)}.
     */
    static String largestGrowth(Snapshot before, Snapshot after, int per, int count) {
        return after.byClass().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new ClassShare(
                        e.getValue().instances() - before.byClass().getOrDefault(e.getKey(), new ClassShare(0, 0)).instances(),
                        e.getValue().bytes() - before.byClass().getOrDefault(e.getKey(), new ClassShare(0, 0)).bytes())))
                .sorted((a, b) -> Long.compare(b.getValue().bytes(), a.getValue().bytes()))
                .limit(count)
                .map(e -> String.format(Locale.ROOT, "%s %,.0f B (%.1f)", e.getKey(), (double) e.getValue().bytes() / per,
                        (double) e.getValue().instances() / per))
                .collect(Collectors.joining(", "));
    }

    /** The process's limit on open files (its soft limit), or -1 if unknown. */
    static long openFilesLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: unknown
        }
        return -1;
    }

    private static long directBytes(String actuatorUrl) {
        double direct = PrometheusMetrics.value(actuatorUrl, "jvm_buffer_memory_used_bytes", "id=\"direct\"");
        return Double.isNaN(direct) ? -1 : (long) direct;
    }

    /**
     * Asks the process for a full collection ({@code jcmd <pid> GC.run}, which {@code
     * -XX:+DisableExplicitGC} does not stop), so what its GC metrics say next is the live heap now.
     */
    static void collectGarbage(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n"
                    + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
