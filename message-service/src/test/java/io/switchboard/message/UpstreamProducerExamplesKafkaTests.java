package io.switchboard.message;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.examples.producer.DealWonProducer;
import io.switchboard.message.ingest.IntegrationEventsProbe;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.stack.ApicurioRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.switchboard.message.ingest.PostedEvents.ticketEscalated;
import static io.switchboard.message.ingest.PostedEvents.ticketEscalatedAsPublished;
import static io.switchboard.message.ingest.PostedEvents.withField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The upstream producer examples under {@code examples/} publish on the real broker and registry,
 * and what they write is read back with message-service's own consumer settings (Apicurio serde,
 * specific records) as the BusinessEvent they meant. The Node.js example needs {@code node} and
 * {@code npm} on the PATH (its dependencies are installed with {@code npm ci} when its lock file
 * changed); without them the test fails rather than skips, so a build never silently stops checking it.
 */
class UpstreamProducerExamplesKafkaTests extends ServiceIntegrationTest {

    private static final Path NODE_PRODUCER = Path.of("../examples/node-producer").toAbsolutePath().normalize();
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.shared();

    @Autowired
    private ConsumerFactory<String, Object> serviceConsumers;

    @Test
    void javaProducerPublishesADealWonEventTheServiceReads() throws Exception {
        String eventId = "java-example-" + UUID.randomUUID();
        Instant before = Instant.now().minusSeconds(1);

        DealWonProducer.main(new String[]{"--bootstrap-servers", brokers(), "--registry-url",
                ApicurioRegistry.shared().registryApiUrl(), "--app-id", appId, "--event-id", eventId});

        BusinessEvent event = awaitEvent(eventId).value();
        assertThat(event.getAppId()).isEqualTo(appId);
        assertThat(event.getSource()).isEqualTo("crm");
        assertThat(event.getEventType()).isEqualTo("deal.won");
        assertThat(event.getOccurredAt()).isAfter(before);
        assertThat(event.getEntity()).isEqualTo(BusinessEntity.newBuilder().setType("deal").setId("D-42")
                .setDisplayName("ACME renewal").setUrl("https://crm.example/deals/D-42").build());
        assertThat(event.getActor()).isEqualTo("carol");
        assertThat(event.getConcerns()).containsExactly("alice");
        assertThat(event.getPayload()).containsEntry("amount", 12000L).containsEntry("probability", 0.9)
                .containsEntry("customer.name", "ACME");
    }

    @Test
    void nodeProducerPublishesTheEventOfItsJsonFileTheServiceReads() throws Exception {
        String eventId = "node-example-" + UUID.randomUUID();
        Path eventFile = Files.createTempFile("node-producer-event", ".json");
        // what an upstream system hands the Node producer: the HTTP body's fields plus its app
        Files.writeString(eventFile, JSON.writeValueAsString(withField(ticketEscalated(eventId), "appId", appId)));

        JsonNode reported = runNodeProducer("--bootstrap-servers", brokers(),
                "--registry-url", ApicurioRegistry.shared().confluentApiUrl(), "--event", eventFile.toString());

        ConsumerRecord<String, BusinessEvent> record = awaitEvent(eventId);
        assertThat(reported.get("eventId").asString()).isEqualTo(eventId);
        assertThat(record.partition()).isEqualTo(reported.get("partition").asInt());
        assertThat(record.offset()).isEqualTo(Long.parseLong(reported.get("offset").asString()));
        assertThat(record.value()).isEqualTo(ticketEscalatedAsPublished(eventId, appId));
    }

    /** Runs {@code node producer.js} and returns the JSON line it prints; fails with its output otherwise. */
    private JsonNode runNodeProducer(String... args) throws IOException, InterruptedException {
        String node = executable("node");
        installNodeDependencies(executable("npm"));
        List<String> command = new ArrayList<>(List.of(node, "producer.js"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("node-producer", ".out");
        Process process = new ProcessBuilder(command).directory(NODE_PRODUCER.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("node producer.js did not finish within " + NODE_TIMEOUT + ":\n" + Files.readString(output));
        }
        List<String> lines = Files.readAllLines(output);
        assertThat(process.exitValue()).as("node producer.js said:\n%s", String.join("\n", lines)).isZero();
        return JSON.readTree(lines.getLast());
    }

    /**
     * {@code npm ci} when node_modules was not installed from the current lock file, so repeated
     * runs reuse it; needs the npm registry the first time.
     */
    private static void installNodeDependencies(String npm) throws IOException, InterruptedException {
        Path stamp = NODE_PRODUCER.resolve("node_modules/.installed-from-lock");
        String lockDigest = sha256(NODE_PRODUCER.resolve("package-lock.json"));
        if (Files.exists(stamp) && Files.readString(stamp).equals(lockDigest)) {
            return;
        }
        Path log = Files.createTempFile("npm-ci", ".log");
        Process install = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(NODE_PRODUCER.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = install.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            install.destroyForcibly();
        }
        assertThat(finished && install.exitValue() == 0).as("npm ci in %s failed:\n%s", NODE_PRODUCER, Files.readString(log))
                .isTrue();
        Files.writeString(stamp, lockDigest);
    }

    private static String executable(String name) {
        Optional<Path> found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            fail(name + " is not on the PATH: the Node.js producer example (examples/node-producer) is tested with "
                    + "Node.js 18 or newer and npm; install them (CI machines have them)");
        }
        return found.get().toString();
    }

    private ConsumerRecord<String, BusinessEvent> awaitEvent(String eventId) {
        return new IntegrationEventsProbe(serviceConsumers).awaitEvent(eventId);
    }

    private static String brokers() {
        return System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
