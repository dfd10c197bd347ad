package io.switchboard.bench;

import io.switchboard.stack.Java;
import io.switchboard.stack.ManagedProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own end-to-end latency tool, {@code org.apache.kafka.tools.EndToEndLatency} from
 * kafka-tools, run in a child JVM against a broker: one record at a time is produced (waiting for
 * the acknowledgement) and consumed back, and the tool prints the percentiles of produce → consumed.
 * It is the floor any path through Kafka stands on, so Switchboard's latency is reported as a
 * multiple of it.
 *
 * <p>Kafka 4.1's tool takes {@code broker_list topic num_messages producer_acks
 * message_size_bytes}, creates a missing topic with one partition, and prints
 * {@code Avg latency: 1.2345 ms} and {@code Percentiles: 50th = 1, 99th = 3, 99.9th = 7}, the
 * percentiles in whole milliseconds, truncated.
 */
final class KafkaEndToEndLatency {

    private static final String TOOL = "org.apache.kafka.tools.EndToEndLatency";
    private static final Pattern AVERAGE = Pattern.compile("Avg latency: ([0-9.]+) ms");
    private static final Pattern PERCENTILES = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99\\.9th = (\\d+)");

    /** What the tool printed: its average (fractions of a millisecond) and percentiles (whole milliseconds). */
    record Result(int messages, int messageBytes, double averageMillis, long p50Millis, long p99Millis,
                  long p999Millis) {
    }

    private KafkaEndToEndLatency() {
    }

    /**
     * Runs the tool with {@code acks=all} on a topic of its own and returns what it printed.
     *
     * @throws IllegalStateException if the tool failed, or printed no percentiles
     */
    static Result measure(String bootstrapServers, int messages, int messageBytes) throws IOException {
        Path workDirectory = Files.createTempDirectory("kafka-end-to-end-latency");
        Path log = workDirectory.resolve("end-to-end-latency.log");
        ManagedProcess.run("kafka-end-to-end-latency",
                Java.command(List.of("-Xmx256m", "-cp", Java.absoluteClassPath()),
                        List.of(TOOL, bootstrapServers, "bench.kafka-end-to-end-latency", Integer.toString(messages),
                                "all", Integer.toString(messageBytes))),
                workDirectory, log, Duration.ofMinutes(10));
        String output = Files.readString(log);
        Matcher average = AVERAGE.matcher(output);
        Matcher percentiles = PERCENTILES.matcher(output);
        if (!average.find() || !percentiles.find()) {
            throw new IllegalStateException("EndToEndLatency printed no percentiles; its output is in " + log);
        }
        return new Result(messages, messageBytes, Double.parseDouble(average.group(1)),
                Long.parseLong(percentiles.group(1)), Long.parseLong(percentiles.group(2)),
                Long.parseLong(percentiles.group(3)));
    }
}
