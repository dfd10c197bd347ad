package io.switchboard.platform.kafka;

import org.apache.kafka.clients.CommonClientConfigs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code ./switchboard replay-dead-letters}: replays dead letters from the command line with
 * {@link DeadLetterReplay} and prints what it replayed per reason. Runs wherever the platform's
 * classes are, including inside a service's jar:
 * {@code java -cp app.jar -Dloader.main=io.switchboard.platform.kafka.ReplayDeadLettersCommand
 * org.springframework.boot.loader.launch.PropertiesLauncher --topic ...}.
 */
public final class ReplayDeadLettersCommand {

    static final String USAGE = """
            usage: replay-dead-letters --topic TOPIC [--reason REASON] [--since ISO-INSTANT] [--until ISO-INSTANT]
                                       [--key KEY] [--dry-run] [--bootstrap-servers HOST:PORT] [--command-config FILE]
              --topic              original topic (e.g. integration.events) or its dead-letter topic
              --reason             only dead letters with this reason (e.g. unknown-app)
              --since, --until     only dead letters written in [since, until), e.g. 2025-05-01T08:00:00Z
              --key                only dead letters with this key
              --dry-run            count and list, replay nothing
              --bootstrap-servers  default: bootstrap.servers of --command-config, $SPRING_KAFKA_BOOTSTRAP_SERVERS,
                                   127.0.0.1:9092
              --command-config     Kafka client properties file (security settings)""";

    private ReplayDeadLettersCommand() {
    }

    public static void main(String[] args) {
        // before any logger exists: Kafka's client logs at WARN, not Logback's default DEBUG
        System.getProperties().putIfAbsent("logback.configurationFile", "io/switchboard/platform/kafka/replay-logback.xml");
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command; returns the exit status: 0 done, 1 failed, 2 wrong arguments. */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args, environment);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            ReplayReport report = DeadLetterReplay.withClientSettings(arguments.clientSettings())
                    .replay(arguments.topic(), arguments.filter(), arguments.dryRun());
            print(report, out);
            return 0;
        } catch (RuntimeException e) {
            err.println("Replay failed: " + e.getMessage());
            return 1;
        }
    }

    private static void print(ReplayReport report, PrintStream out) {
        out.printf("%s: %s %d of %d dead letters%n", report.deadLetterTopic(),
                report.dryRun() ? "would replay" : "replayed", report.selectedTotal(), report.scanned());
        report.selectedByReason().forEach((reason, count) -> out.printf("  %-24s %d%n", reason, count));
        if (report.dryRun()) {
            for (ReplayReport.Entry entry : report.selected()) {
                out.printf("  %s  key=%s  reason=%s  dead-lettered=%s  to=%s%n", entry.source(), entry.key(),
                        entry.reason(), entry.deadLetteredAt(), entry.originalTopic());
            }
            if (report.selectedTotal() > report.selected().size()) {
                out.printf("  ... and %d more%n", report.selectedTotal() - report.selected().size());
            }
        }
    }

    /** The parsed command line. */
    record Arguments(String topic, DeadLetterFilter filter, boolean dryRun, Map<String, Object> clientSettings) {

        static Arguments parse(String[] args, Map<String, String> environment) {
            Map<String, String> values = new HashMap<>();
            boolean dryRun = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--dry-run" -> dryRun = true;
                    case "--topic", "--reason", "--since", "--until", "--key", "--bootstrap-servers", "--command-config" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(args[i] + " needs a value");
                        }
                        values.put(args[i], args[++i]);
                    }
                    default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
                }
            }
            if (!values.containsKey("--topic")) {
                throw new IllegalArgumentException("--topic is required");
            }
            DeadLetterFilter filter = new DeadLetterFilter(values.get("--reason"), instant(values.get("--since")),
                    instant(values.get("--until")), values.get("--key"));
            return new Arguments(values.get("--topic"), filter, dryRun, clientSettings(values, environment));
        }

        private static Map<String, Object> clientSettings(Map<String, String> values, Map<String, String> environment) {
            Map<String, Object> settings = new HashMap<>();
            String configFile = values.get("--command-config");
            if (configFile != null) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(Path.of(configFile))) {
                    properties.load(reader);
                } catch (IOException e) {
                    throw new IllegalArgumentException("Cannot read --command-config " + configFile + ": " + e.getMessage());
                }
                properties.forEach((name, value) -> settings.put((String) name, value));
            }
            String bootstrap = values.get("--bootstrap-servers");
            if (bootstrap != null) {
                settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            } else {
                settings.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                        environment.getOrDefault("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
            }
            return settings;
        }

        private static Instant instant(String value) {
            try {
                return value == null ? null : Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Not an ISO-8601 instant (e.g. 2025-05-01T08:00:00Z): " + value);
            }
        }
    }
}
