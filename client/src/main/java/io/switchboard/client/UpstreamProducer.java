package io.switchboard.client;

import io.apicurio.registry.serde.config.SerdeConfig;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.SaslConfigs;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An app's upstream system publishing as production ones do: logged in on the brokers' upstream
 * listener with the app's Kafka credential (SASL/SCRAM-SHA-512), writing the app's own topic
 * {@code integration.events.<appId>} with the schema Switchboard registered, never one of its own.
 * Unlike {@link SwitchboardClient#publish}, which writes the shared topic on the services' listener,
 * Kafka itself binds what it writes to the app.
 */
public final class UpstreamProducer implements AutoCloseable {

    private final KafkaProducer<String, BusinessEvent> producer;
    private final String topic;

    private UpstreamProducer(KafkaProducer<String, BusinessEvent> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** @param credential the answer of {@code POST /v1/kafka-credentials} ({@link SwitchboardClient#issueKafkaCredential}) */
    public static UpstreamProducer connect(JsonNode credential) {
        String appId = credential.get("appId").asString();
        // the credential names the registry's Confluent-compatible API; Apicurio's serde talks to its own, beside it
        String registry = credential.get("schemaRegistryUrl").asString().replaceFirst("/apis/ccompat/v7/?$", "/apis/registry/v3");
        Map<String, Object> properties = new HashMap<>(RegistrySerde.producerProperties(registry));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, credential.get("bootstrapServers").asString());
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, credential.get("securityProtocol").asString());
        properties.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + credential.get("username").asString() + "\" password=\""
                + credential.get("password").asString() + "\";");
        properties.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
        properties.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new UpstreamProducer(new KafkaProducer<>(properties),
                Topics.ofApp(appId, 1).integrationEvents().name());
    }

    /** Publishes {@code event} keyed by its id and returns where the brokers wrote it. */
    public RecordMetadata publish(BusinessEvent event) throws Exception {
        return producer.send(new ProducerRecord<>(topic, event.getEventId(), event)).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
