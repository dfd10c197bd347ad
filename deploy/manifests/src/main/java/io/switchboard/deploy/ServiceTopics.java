package io.switchboard.deploy;

import io.switchboard.schemas.TopicSpec;
import io.switchboard.schemas.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What each service really does on Kafka: the topics it consumes and publishes, from the services
 * table of the root README (the documented contract), and its consumer groups, from the
 * {@code groupId}s of its listeners and its {@code spring.kafka.consumer.group-id}. A group id with
 * a placeholder ({@code push-gateway-${...}}) is a prefix.
 *
 * <p>Apps' own topics are written {@code `integration.events.<appId>`} in the table: in the consumes
 * column the service reads every app's topic and writes its dead-letter topic
 * ({@code integration.events.<appId>.dlt}); in the publishes column, after "creates", the service
 * creates them. Both are granted on the prefix ({@code integration.events.}).
 *
 * @param consumes         topics it reads
 * @param publishes        topics it writes, dead-letter topics of the topics it consumes included
 * @param groups           consumer group ids it uses literally
 * @param groupPrefixes    consumer group id prefixes
 * @param consumesPerApp   prefixes of apps' topics it reads (and dead-letters to)
 * @param createsPerApp    prefixes of apps' topics it creates
 */
public record ServiceTopics(Set<String> consumes, Set<String> publishes, Set<String> groups, Set<String> groupPrefixes,
                            Set<String> consumesPerApp, Set<String> createsPerApp) {

    private static final Pattern TABLE_ROW = Pattern.compile("^\\| \\[([a-z-]+-service)]\\([^)]*\\) \\|([^|]*)\\|([^|]*)\\|([^|]*)\\|");
    private static final Pattern TOPIC = Pattern.compile("`([a-z]+\\.[a-z.]+)`");
    /** An app's own topic in the table, {@code `integration.events.<appId>`}. */
    private static final Pattern APP_TOPIC = Pattern.compile("`([a-z]+\\.[a-z.]+)\\.<appId>`");
    /** What follows it in the publishes column are topics the service creates, not writes. */
    private static final String CREATES = "creates ";
    private static final Pattern GROUP_ID = Pattern.compile("groupId\\s*=\\s*\"([^\"]+)\"|group-id:\\s*([\\w.${}:-]+)");

    /** The four services, by name, read from the project at {@code root}. */
    public static Map<String, ServiceTopics> read(Path root) {
        Map<String, ServiceTopics> services = new LinkedHashMap<>();
        Set<String> deadLetterTopics = new TreeSet<>();
        Topics.all().stream().map(TopicSpec::name).filter(n -> n.endsWith(TopicSpec.DEAD_LETTER_SUFFIX)).forEach(deadLetterTopics::add);
        for (String line : lines(root.resolve("README.md"))) {
            Matcher row = TABLE_ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            String service = row.group(1);
            Set<String> consumes = topics(row.group(3));
            Set<String> publishes = topics(row.group(4));
            consumes.stream().map(t -> t + TopicSpec.DEAD_LETTER_SUFFIX).filter(deadLetterTopics::contains).forEach(publishes::add);
            Set<String> groups = new TreeSet<>();
            Set<String> prefixes = new TreeSet<>();
            for (String id : groupIds(root.resolve(service).resolve("src/main"))) {
                int placeholder = id.indexOf("${");
                if (placeholder >= 0) {
                    prefixes.add(id.substring(0, placeholder));
                } else {
                    groups.add(id);
                }
            }
            services.put(service, new ServiceTopics(consumes, publishes, groups, prefixes,
                    appTopicPrefixes(row.group(3)), appTopicPrefixes(created(row.group(4)))));
        }
        return services;
    }

    /**
     * Topics the code of a service names ({@code Topics.X} constants in its main sources). Every
     * one of them must be in its row of the README table (or be a dead-letter topic of one it
     * consumes): the ACLs are derived from that row.
     */
    public static Set<String> namedInCode(Path serviceSources) {
        Set<String> topics = new TreeSet<>();
        Pattern constant = Pattern.compile("Topics\\)?\\.([A-Z][A-Z_]+)\\b");
        try (Stream<Path> files = Files.walk(serviceSources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher reference = constant.matcher(Files.readString(file));
                while (reference.find()) {
                    try {
                        if (Topics.class.getField(reference.group(1)).get(null) instanceof TopicSpec spec) {
                            topics.add(spec.name());
                        }
                    } catch (NoSuchFieldException e) {
                        // a method such as Topics.all(), or not a topic
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return topics;
    }

    /** Topics named in the code that the README row of the service does not list. */
    public Set<String> undocumented(Set<String> namedInCode) {
        Set<String> missing = new TreeSet<>(namedInCode);
        missing.removeAll(consumes);
        missing.removeAll(publishes);
        return missing;
    }

    private static Set<String> topics(String cell) {
        Set<String> topics = new TreeSet<>();
        Matcher topic = TOPIC.matcher(cell);
        while (topic.find()) {
            topics.add(topic.group(1));
        }
        return topics;
    }

    /** Prefixes ({@code integration.events.}) of the apps' topics a cell names. */
    private static Set<String> appTopicPrefixes(String cell) {
        Set<String> prefixes = new TreeSet<>();
        Matcher topic = APP_TOPIC.matcher(cell);
        while (topic.find()) {
            prefixes.add(topic.group(1) + ".");
        }
        return prefixes;
    }

    /** The part of a publishes cell after "creates", or nothing. */
    private static String created(String cell) {
        int at = cell.indexOf(CREATES);
        return at < 0 ? "" : cell.substring(at + CREATES.length());
    }

    private static Set<String> groupIds(Path sources) {
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".yml")).toList()) {
                Matcher id = GROUP_ID.matcher(Files.readString(file));
                while (id.find()) {
                    ids.add(id.group(1) != null ? id.group(1) : id.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
