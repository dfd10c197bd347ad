package io.switchboard.bench;

import java.util.Collection;
import java.util.Locale;

/**
 * The soak's samples as a table on stdout, a row as each is taken: the interval's traffic, the
 * lag of all consumer groups together, then one column per service for each process figure.
 */
final class SoakTable {

    private static final double MIB = 1024 * 1024;
    private static final String[] FIGURES = {"heap after GC MiB", "resident MiB", "open files", "threads"};

    private SoakTable() {
    }

    /** Two header lines; services are named by their module's first four letters. */
    static String header(Collection<String> services) {
        StringBuilder groups = new StringBuilder(String.format(Locale.ROOT, "%-41s", "   traffic of the interval"));
        StringBuilder columns = new StringBuilder(String.format(Locale.ROOT, "%7s %9s %8s %6s %7s", "elapsed",
                "stored/s", "p99 ms", "conns", "lag"));
        for (String figure : FIGURES) {
            groups.append(String.format(Locale.ROOT, " | %-" + (services.size() * 6 - 1) + "s", figure));
            columns.append(" |");
            services.forEach(service -> columns.append(String.format(Locale.ROOT, "%6s", service.substring(0, 4))));
        }
        return groups + "\n" + columns;
    }

    static String row(SoakSample sample) {
        long elapsed = Math.round(sample.elapsedSeconds());
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%4d:%02d %9.0f %8.1f %6d %7d",
                elapsed / 60, elapsed % 60, sample.acceptedPerSecond(), sample.p99DeliveryMillis(),
                sample.openConnections(), sample.consumerLag().values().stream().mapToLong(Long::longValue).sum()));
        row.append(" |");
        sample.services().values().forEach(s -> row.append(String.format(Locale.ROOT, "%6.1f", s.heapAfterGcBytes() / MIB)));
        row.append(" |");
        sample.services().values().forEach(s -> row.append(String.format(Locale.ROOT, "%6.0f", s.residentBytes() / MIB)));
        row.append(" |");
        sample.services().values().forEach(s -> row.append(String.format(Locale.ROOT, "%6d", s.openFiles())));
        row.append(" |");
        sample.services().values().forEach(s -> row.append(String.format(Locale.ROOT, "%6d", s.threads())));
        return row.toString();
    }
}
