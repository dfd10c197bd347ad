package io.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration table of deploy/README.md is the list of variables a platform team sets: every
 * variable the manifests or the compose file give a service must be in it, and each documented
 * variable must bind to its documented property the way Spring Boot maps environment variables
 * (so a misspelt name, which Spring would silently ignore, fails here). A {@code switchboard.*}
 * property must also exist: a key of the services' YAML or a component of a
 * {@code @ConfigurationProperties} record.
 */
public final class EnvironmentRules {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\| (`([a-z0-9.-]+)`|—) \\|", Pattern.MULTILINE);
    private static final Pattern PROPERTIES_RECORD = Pattern.compile(
            "@ConfigurationProperties\\(\"([a-z.-]+)\"\\)\\s*(?:public\\s+)?record\\s+\\w+\\(([^{]*)\\)\\s*\\{", Pattern.DOTALL);

    /** Types of record components that hold one value (anything else may have settings below it). */
    private static final Set<String> SIMPLE_TYPES = Set.of("String", "int", "long", "short", "boolean", "Integer",
            "Long", "Boolean", "Duration", "DataSize", "URI", "Path", "List<String>");

    private EnvironmentRules() {
    }

    /** Variable → property (null for variables that are not Spring properties) from the README table. */
    public static Map<String, String> documented(Path readme) {
        Map<String, String> variables = new LinkedHashMap<>();
        try {
            Matcher row = ROW.matcher(Files.readString(readme));
            while (row.find()) {
                variables.put(row.group(1), row.group(3));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return variables;
    }

    /** Names of the variables set for the services' containers, and the keys of switchboard-config. */
    public static Set<String> used(List<Manifest> manifests) {
        Set<String> names = new TreeSet<>();
        manifests.stream().filter(m -> m.isLongRunning() && WorkloadRules.isService(m)).forEach(workload ->
                workload.podSpec().path("containers").forEach(container ->
                        container.path("env").forEach(env -> names.add(env.path("name").asText()))));
        Manifests.ofKind(manifests, "ConfigMap").filter(m -> m.name().equals("switchboard-config"))
                .forEach(config -> config.node().path("data").fieldNames().forEachRemaining(names::add));
        return names;
    }

    /**
     * Names of the variables a compose configuration sets for the services built from this repository.
     *
     * @param composeConfig the configuration as {@code docker-compose config} prints it (anchors and
     *                      merge keys resolved)
     */
    public static Set<String> used(JsonNode composeConfig) {
        Set<String> names = new TreeSet<>();
        JsonNode services = composeConfig.path("services");
        services.forEach(service -> {
            if (service.has("build")) {
                service.path("environment").fieldNames().forEachRemaining(names::add);
            }
        });
        return names;
    }

    public static List<String> violations(Map<String, String> documented, Set<String> used, Set<String> knownProperties) {
        List<String> violations = new ArrayList<>();
        used.stream().filter(name -> !documented.containsKey(name))
                .forEach(name -> violations.add("variable " + name + " is set but not in deploy/README.md#configuration"));
        documented.forEach((variable, property) -> {
            if (property == null) {
                return;
            }
            if (!binds(variable, property)) {
                violations.add("variable " + variable + " does not bind to " + property);
            }
            if (property.startsWith("switchboard.") && knownProperties.stream().noneMatch(known -> property.equals(known)
                    || (known.endsWith(".*") && property.startsWith(known.substring(0, known.length() - 1))))) {
                violations.add("property " + property + " (" + variable + ") is not a Switchboard setting");
            }
        });
        return violations;
    }

    /** Whether Spring Boot reads {@code property} from an environment variable named {@code variable}. */
    static boolean binds(String variable, String property) {
        ConfigurationPropertySource source = ConfigurationPropertySource.from(
                new SystemEnvironmentPropertySource("environment", Map.<String, Object>of(variable, "value")));
        return source != null && source.getConfigurationProperty(ConfigurationPropertyName.of(property)) != null;
    }

    /**
     * The {@code switchboard.*} settings of the code under {@code root}: leaf keys of its main YAML
     * files and the components of its {@code @ConfigurationProperties} records; a component that is
     * a map or a nested record is returned as {@code name.*} (anything below it is accepted).
     */
    public static Set<String> knownProperties(Path root) {
        Set<String> known = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().contains("/src/main/") && !f.toString().contains("/target/")).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".yml")) {
                    flatten("", Manifests.parse(file).stream().findFirst().map(Manifest::node).orElse(null), known);
                } else if (name.endsWith(".java")) {
                    Matcher record = PROPERTIES_RECORD.matcher(Files.readString(file));
                    while (record.find()) {
                        for (String[] component : components(record.group(2))) {
                            boolean nested = !SIMPLE_TYPES.contains(component[0]);
                            known.add(record.group(1) + "." + kebab(component[1]) + (nested ? ".*" : ""));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        known.removeIf(key -> !key.startsWith("switchboard."));
        return known;
    }

    private static void flatten(String prefix, JsonNode node, Set<String> keys) {
        if (node == null || !node.isObject()) {
            return;
        }
        node.properties().forEach(field -> {
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (field.getValue().isObject()) {
                flatten(key, field.getValue(), keys);
            } else {
                keys.add(key);
            }
        });
    }

    /** Type and name of each top-level, comma-separated parameter of a record header. */
    private static List<String[]> components(String parameters) {
        List<String[]> names = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : (parameters + ",").toCharArray()) {
            if (c == '<' || c == '(') {
                depth++;
            } else if (c == '>' || c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                String[] words = current.toString().trim().split("\\s+");
                names.add(new String[] {words[words.length - 2], words[words.length - 1]});
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        return names;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
