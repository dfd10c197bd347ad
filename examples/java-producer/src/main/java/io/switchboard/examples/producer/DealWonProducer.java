package io.switchboard.examples.producer;

import io.apicurio.registry.serde.config.SerdeConfig;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.schemas.RegistrySerde;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.SaslConfigs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A CRM telling Switchboard that a deal was won, the way any Java upstream system publishes: a
 * plain {@link KafkaProducer} logged in with the app's Kafka credential (SASL/SCRAM-SHA-512),
 * writing the app's own topic {@code integration.events.<appId>} with Apicurio Registry's Avro serde
 * (Confluent wire format) and the generated {@link BusinessEvent} of the {@code schemas} artifact.
 * The serde registers nothing: it uses the latest schema Switchboard registered with the credential.
 *
 * <pre>
 * java -jar examples/java-producer/target/java-producer.jar --credential credential.json [--event-id ID]
 * </pre>
 *
 * {@code credential.json} is the answer of {@code POST /v1/kafka-credentials}, saved as it came. Its
 * fields can come from the environment instead: {@code APP_ID}, {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_USERNAME}, {@code KAFKA_PASSWORD},
 * {@code SCHEMA_REGISTRY_URL}; and {@code EVENT_ID}.
 */
public final class DealWonProducer {

    private DealWonProducer() {
    }

    /** Where and what to publish; {@code eventId} is the idempotency key of the event. */
    record Settings(String appId, String bootstrapServers, String securityProtocol, String username, String password,
                    String registryUrl, String eventId) {

        static Settings of(String[] args, Map<String, String> env) {
            Map<String, String> options = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 == args.length) {
                    throw new IllegalArgumentException("Expected --option value pairs, got " + String.join(" ", args));
                }
                options.put(args[i].substring(2), args[++i]);
            }
            JsonNode credential = options.containsKey("credential")
                    ? JsonMapper.shared().readTree(new File(options.get("credential"))) : JsonMapper.shared().createObjectNode();
            return new Settings(
                    required(env, "APP_ID", credential, "appId"),
                    required(env, "KAFKA_BOOTSTRAP_SERVERS", credential, "bootstrapServers"),
                    required(env, "KAFKA_SECURITY_PROTOCOL", credential, "securityProtocol"),
                    required(env, "KAFKA_USERNAME", credential, "username"),
                    required(env, "KAFKA_PASSWORD", credential, "password"),
                    required(env, "SCHEMA_REGISTRY_URL", credential, "schemaRegistryUrl"),
                    // a real system derives the id from its own change (deal D-42 won), so a retry repeats it
                    options.getOrDefault("event-id", env.getOrDefault("EVENT_ID", "crm-deal-won-" + UUID.randomUUID())));
        }

        private static String required(Map<String, String> env, String variable, JsonNode credential, String field) {
            String value = env.getOrDefault(variable, credential.path(field).asString(null));
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("Missing " + field + ": give --credential credential.json (the answer "
                        + "of POST /v1/kafka-credentials) or set " + variable);
            }
            return value;
        }

        /**
         * The registry's own API for Apicurio's serde: the credential names the registry's
         * Confluent-compatible API ({@code .../apis/ccompat/v7}), and Apicurio serves both under one base.
         */
        String apicurioApiUrl() {
            return registryUrl.replaceFirst("/apis/ccompat/v7/?$", "/apis/registry/v3");
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
        String topic = "integration.events." + settings.appId();
        try (KafkaProducer<String, BusinessEvent> producer = new KafkaProducer<>(producerProperties(settings))) {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, event.getEventId(), event))
                    .get(30, TimeUnit.SECONDS);
            System.out.printf("Published %s on %s, partition %d, offset %d%n", event.getEventId(), written.topic(),
                    written.partition(), written.offset());
        }
    }

    static Map<String, Object> producerProperties(Settings settings) {
        Map<String, Object> properties = new HashMap<>(RegistrySerde.producerProperties(settings.apicurioApiUrl()));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, settings.securityProtocol());
        properties.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + settings.username() + "\" password=\"" + settings.password() + "\";");
        // production settings: the schema Switchboard registered for the app's topic, never one of our own
        properties.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
        properties.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
        // every in-sync replica has it before it counts, and a retried send is not written twice
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return properties;
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
