package io.switchboard.examples.producer;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A CRM telling Switchboard that a deal was won, the way any Java upstream system publishes: a
 * plain {@link KafkaProducer} with Apicurio Registry's Avro serde (Confluent wire format, schema
 * registered on first use) and the generated {@link BusinessEvent} of the {@code schemas} artifact.
 *
 * <pre>
 * java -jar examples/java-producer/target/java-producer.jar --app-id APP [--event-id ID]
 *      [--bootstrap-servers 127.0.0.1:9092] [--registry-url http://127.0.0.1:8080/apis/registry/v3]
 * </pre>
 *
 * Each option can come from the environment instead: {@code APP_ID}, {@code EVENT_ID},
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code APICURIO_REGISTRY_URL} (Apicurio's own v3 API: the serde
 * does not speak the Confluent API).
 */
public final class DealWonProducer {

    private DealWonProducer() {
    }

    /** Where and what to publish; {@code eventId} is the idempotency key of the event. */
    record Settings(String bootstrapServers, String registryUrl, String appId, String eventId) {

        static Settings of(String[] args, Map<String, String> env) {
            Map<String, String> options = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 == args.length) {
                    throw new IllegalArgumentException("Expected --option value pairs, got " + String.join(" ", args));
                }
                options.put(args[i].substring(2), args[++i]);
            }
            String appId = options.getOrDefault("app-id", env.get("APP_ID"));
            if (appId == null || appId.isBlank()) {
                throw new IllegalArgumentException("Give the Switchboard app the event belongs to: --app-id or APP_ID");
            }
            return new Settings(
                    options.getOrDefault("bootstrap-servers", env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")),
                    options.getOrDefault("registry-url",
                            env.getOrDefault("APICURIO_REGISTRY_URL", "http://127.0.0.1:8080/apis/registry/v3")),
                    appId,
                    // a real system derives the id from its own change (deal D-42 won), so a retry repeats it
                    options.getOrDefault("event-id", env.getOrDefault("EVENT_ID", "crm-deal-won-" + UUID.randomUUID())));
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.of(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        BusinessEvent event = dealWon(settings.appId(), settings.eventId());
        Map<String, Object> properties = new HashMap<>(RegistrySerde.producerProperties(settings.registryUrl()));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        // every in-sync replica has it before it counts, and a retried send is not written twice
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, BusinessEvent> producer = new KafkaProducer<>(properties)) {
            RecordMetadata written = producer.send(
                            new ProducerRecord<>(Topics.INTEGRATION_EVENTS.name(), event.getEventId(), event))
                    .get(30, TimeUnit.SECONDS);
            System.out.printf("Published %s on %s, partition %d, offset %d%n", event.getEventId(), written.topic(),
                    written.partition(), written.offset());
        }
    }

    /** The event: what the CRM knows about the deal, payload keys flattened (customer.name). */
    static BusinessEvent dealWon(String appId, String eventId) {
        return BusinessEvent.newBuilder()
                .setEventId(eventId)
                .setAppId(appId)
                .setSource("crm")
                .setEventType("deal.won")
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder()
                        .setType("deal")
                        .setId("D-42")
                        .setDisplayName("ACME renewal")
                        .setUrl("https://crm.example/deals/D-42")
                        .build())
                .setActor("carol")
                .setConcerns(List.of("alice"))
                .setPayload(Map.of("amount", 12000L, "currency", "EUR", "probability", 0.9,
                        "customer.name", "ACME", "products", List.of("support", "licenses")))
                .build();
    }
}
