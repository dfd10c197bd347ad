package io.switchboard.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Alerts and dashboards must query metrics the services really expose. The services' own meters
 * are found in their sources (the name given to a Micrometer counter, timer or gauge); Prometheus
 * names them with dots turned into underscores, {@code _total} for counters and
 * {@code _seconds_*} for timers.
 */
public final class MetricRules {

    private static final Pattern METER = Pattern.compile(
            "(?:counter|timer|gauge|summary|builder|METRIC\\s*=)\\(?\\s*\"(switchboard(?:\\.[a-z0-9]+)+)\"");
    private static final Pattern QUERIED = Pattern.compile("\\b(switchboard_[a-z0-9_]+)");
    private static final List<String> SUFFIXES = List.of("", "_total", "_seconds", "_seconds_bucket", "_seconds_count",
            "_seconds_sum", "_seconds_max", "_bucket", "_count", "_sum", "_max");

    private MetricRules() {
    }

    /** Prometheus base names of the meters declared in the Java sources under {@code root}. */
    public static Set<String> exposed(Path root) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/")
                    && !f.toString().contains("/target/")).toList()) {
                Matcher meter = METER.matcher(Files.readString(file));
                while (meter.find()) {
                    names.add(meter.group(1).replace('.', '_'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /**
     * @param where   what is checked (a file), named in violations
     * @param text    its queries (PromQL inside YAML or JSON)
     * @param exposed {@link #exposed(Path)}
     */
    public static List<String> violations(String where, String text, Set<String> exposed) {
        List<String> violations = new ArrayList<>();
        Matcher queried = QUERIED.matcher(text);
        Set<String> seen = new TreeSet<>();
        while (queried.find()) {
            String metric = queried.group(1);
            if (seen.add(metric)
                    && SUFFIXES.stream().noneMatch(suffix -> metric.endsWith(suffix)
                    && exposed.contains(metric.substring(0, metric.length() - suffix.length())))) {
                violations.add(where + ": metric " + metric + " is not exposed by any service");
            }
        }
        return violations;
    }
}
