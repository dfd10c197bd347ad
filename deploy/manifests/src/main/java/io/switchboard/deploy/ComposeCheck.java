package io.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.schemas.TopicSpec;
import io.switchboard.schemas.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-compose.yml: valid for {@code docker-compose config -q} (schema, interpolation, references),
 * every image pinned, and the topic job's list equal to the catalog (one gateway, so push.deliveries
 * has the catalog's single partition).
 */
public final class ComposeCheck {

    private static final Pattern TOPIC_LINE = Pattern.compile("^([a-z]+\\.[a-z.]+) (\\d+) (compact|delete)$", Pattern.MULTILINE);

    private ComposeCheck() {
    }

    /**
     * Runs {@code docker-compose -f FILE config -q}.
     *
     * @param environment variables for the interpolation (the file's required secrets)
     * @return the tool's complaint, or nothing when the file is valid
     * @throws IllegalStateException when docker-compose is not installed
     */
    public static List<String> config(Path composeFile, Map<String, String> environment) {
        Result result = run(composeFile, environment, "-q");
        return result.exitCode() == 0 ? List.of() : List.of(composeFile + ": docker-compose config -q: " + result.output().strip());
    }

    /** The configuration as {@code docker-compose config} resolves it (interpolated, anchors merged). */
    public static JsonNode resolved(Path composeFile, Map<String, String> environment) {
        Result result = run(composeFile, environment);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("docker-compose config failed: " + result.output());
        }
        return Manifests.parse(composeFile.toString(), result.output()).getFirst().node();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path composeFile, Map<String, String> environment, String... options) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-f", composeFile.toString(), "config"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(composeFile.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(options.length > 0);
        if (options.length == 0) {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        builder.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
        builder.environment().putAll(environment);
        try {
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("docker-compose is needed to validate " + composeFile
                        + " (Debian: apt-get install -y docker-compose; .ci/run installs it)", e);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "docker-compose config did not finish in 60 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every service of the compose file names a pinned image. */
    public static List<String> images(Path composeFile) {
        List<String> violations = new ArrayList<>();
        JsonNode services = Manifests.parse(composeFile).getFirst().node().path("services");
        services.properties().forEach(service -> {
            String image = service.getValue().path("image").asText("");
            if (!WorkloadRules.pinned(image.replaceAll("\\$\\{[A-Z_]+:-([^}]+)}", "$1"))) {
                violations.add(composeFile + ": service " + service.getKey() + " image '" + image + "' is not pinned");
            }
        });
        return violations;
    }

    /** The topic job's list ({@code name partitions cleanup} lines) against the catalog. */
    public static List<String> topics(Path script) {
        List<String> violations = new ArrayList<>();
        Map<String, String> listed = new LinkedHashMap<>();
        try {
            Matcher line = TOPIC_LINE.matcher(Files.readString(script));
            while (line.find()) {
                listed.put(line.group(1), line.group(2) + " " + line.group(3));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (TopicSpec spec : Topics.all()) {
            String expected = spec.partitions() + " " + (spec.compacted() ? "compact" : "delete");
            String actual = listed.remove(spec.name());
            if (actual == null) {
                violations.add(script + ": does not create " + spec.name());
            } else if (!actual.equals(expected)) {
                violations.add(script + ": " + spec.name() + " " + actual + ", the catalog says " + expected);
            }
        }
        listed.keySet().forEach(topic -> violations.add(script + ": creates " + topic + ", which is not in the catalog"));
        return violations;
    }
}
