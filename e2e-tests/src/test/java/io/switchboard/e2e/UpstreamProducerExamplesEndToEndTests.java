package io.switchboard.e2e;

import io.switchboard.client.PushConnection;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.examples.producer.DealWonProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The upstream producer examples under {@code examples/}, each run as its README says against
 * the whole stack: the app gets a Kafka credential from auth-service, the example logs in with it
 * on the broker's SASL/SCRAM listener, writes the app's own topic with the schema it finds in the
 * registry (registering nothing), and the deal.won rule turns its event into a notification that a
 * member's WebSocket receives.
 *
 * <p>Node.js (20.19 or newer, with npm) and Debian's {@code python3-confluent-kafka} and
 * {@code python3-avro} must be installed; without them the tests fail rather than skip, so a build
 * never silently stops checking an example. Python runs on librdkafka 2.8.0, built once by
 * {@code examples/python-producer/build-librdkafka.sh} (Debian 12's 2.0.2 cannot log in with
 * SCRAM to Kafka 4).
 */
@ExtendWith(EndToEndStack.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamProducerExamplesEndToEndTests {

    private static final Path EXAMPLES = Path.of(System.getProperty("switchboard.project.dir", ".."), "examples")
            .toAbsolutePath().normalize();
    private static final Path NODE_PRODUCER = EXAMPLES.resolve("node-producer");
    private static final Path PYTHON_PRODUCER = EXAMPLES.resolve("python-producer");
    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration LIBRDKAFKA_BUILD_TIMEOUT = Duration.ofMinutes(15);
    private static final JsonMapper JSON = JsonMapper.shared();

    @Test
    void theJavaExamplesDealReachesTheTeam(EndToEndStack e2e) throws Exception {
        try (DealWonScenario scenario = scenario(e2e)) {
            Path credential = credential(e2e.client(), scenario);

            DealWonProducer.main(new String[]{"--credential", credential.toString(), "--event-id", "java-" + UUID.randomUUID()});

            assertThat(notification(scenario)).isEqualTo("Deal won: ACME renewal (12000 EUR), closed by carol");
        }
    }

    @Test
    void theNodeExamplesDealReachesTheTeam(EndToEndStack e2e) throws Exception {
        try (DealWonScenario scenario = scenario(e2e)) {
            Path credential = credential(e2e.client(), scenario);
            installNodeDependencies();

            JsonNode reported = run(NODE_PRODUCER, Map.of(), executable("node"), "producer.js",
                    "--credential", credential.toString(), "--event", event("Node renewal"));

            assertThat(reported.get("topic").asString()).isEqualTo("integration.events." + scenario.app().appId());
            assertThat(notification(scenario)).isEqualTo("Deal won: Node renewal (12000 EUR), closed by carol");
        }
    }

    @Test
    void thePythonExamplesDealReachesTheTeam(EndToEndStack e2e) throws Exception {
        try (DealWonScenario scenario = scenario(e2e)) {
            Path credential = credential(e2e.client(), scenario);
            run(PYTHON_PRODUCER, Map.of(), LIBRDKAFKA_BUILD_TIMEOUT, "bash", "build-librdkafka.sh");

            JsonNode reported = run(PYTHON_PRODUCER,
                    Map.of("LD_LIBRARY_PATH", PYTHON_PRODUCER.resolve(".librdkafka/lib").toString()), PROCESS_TIMEOUT,
                    python(), "producer.py", "--credential", credential.toString(), "--event", event("Python renewal"));

            assertThat(reported.get("topic").asString()).isEqualTo("integration.events." + scenario.app().appId());
            assertThat(notification(scenario)).isEqualTo("Deal won: Python renewal (12000 EUR), closed by carol");
        }
    }

    private static DealWonScenario scenario(EndToEndStack e2e) throws InterruptedException {
        return DealWonScenario.setUp(e2e.client(), EndToEndStack.ADMIN_PASSWORD, List.of("alice"));
    }

    /** The app's Kafka credential saved as its admin would: the answer of POST /v1/kafka-credentials. */
    private static Path credential(SwitchboardClient client, DealWonScenario scenario) throws IOException {
        String token = client.appToken(scenario.app(), "kafka-credentials:admin");
        Path file = Files.createTempFile("credential", ".json");
        Files.writeString(file, JSON.writeValueAsString(client.issueKafkaCredential(token)));
        return file;
    }

    /** The example's own event.json with a fresh eventId and the deal's name changed, so its notification is known. */
    private static String event(String dealName) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(NODE_PRODUCER.resolve("event.json").toFile());
        event.put("eventId", "example-" + UUID.randomUUID());
        ((ObjectNode) event.get("entity")).put("displayName", dealName);
        return JSON.writeValueAsString(event);
    }

    private static String notification(DealWonScenario scenario) throws InterruptedException {
        // the routing consumer finds the app's new topic at its next metadata refresh (the local stack: 5 s)
        PushConnection.Frame frame = scenario.connection("alice").next("message.created", DealWonScenario.TIMEOUT.multipliedBy(2));
        assertThat(frame.json().get("conversationId").asString()).isEqualTo(DealWonScenario.CONVERSATION);
        return frame.json().get("text").asString();
    }

    private static JsonNode run(Path directory, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        return run(directory, environment, PROCESS_TIMEOUT, command);
    }

    /** Runs {@code command} and returns the JSON of its last line (null if none); fails with its output otherwise. */
    private static JsonNode run(Path directory, Map<String, String> environment, Duration timeout, String... command)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("example", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeout + ":\n" + Files.readString(output));
        }
        List<String> lines = Files.readAllLines(output);
        assertThat(process.exitValue()).as("%s said:\n%s", String.join(" ", command), String.join("\n", lines)).isZero();
        return lines.isEmpty() || !lines.getLast().startsWith("{") ? null : JSON.readTree(lines.getLast());
    }

    /**
     * {@code npm ci} when node_modules was not installed from the current lock file, so repeated
     * runs reuse it; needs the npm registry the first time.
     */
    private static void installNodeDependencies() throws IOException, InterruptedException {
        Path stamp = NODE_PRODUCER.resolve("node_modules/.installed-from-lock");
        String lockDigest = sha256(NODE_PRODUCER.resolve("package-lock.json"));
        if (Files.exists(stamp) && Files.readString(stamp).equals(lockDigest)) {
            return;
        }
        run(NODE_PRODUCER, Map.of(), executable("npm"), "ci", "--no-audit", "--no-fund");
        Files.writeString(stamp, lockDigest);
    }

    /** Debian's Python, which has python3-confluent-kafka and python3-avro (a pyenv one on the PATH may not). */
    private static String python() {
        Path debian = Path.of("/usr/bin/python3");
        return Files.isExecutable(debian) ? debian.toString() : executable("python3");
    }

    private static String executable(String name) {
        Optional<Path> found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            fail(name + " is not on the PATH: the producer examples are tested with Node.js 20.19 or newer, npm and "
                    + "Debian's python3-confluent-kafka and python3-avro; install them (CI machines have them)");
        }
        return found.get().toString();
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
