package io.switchboard.bench;

import io.apicurio.registry.serde.config.SerdeConfig;
import io.switchboard.schemas.RegistrySerde;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

/** Producers as the benchmarks' upstream systems use them: the registry's Avro serde, {@code acks=all}, else defaults. */
final class AvroProducers {

    private AvroProducers() {
    }

    static KafkaProducer<String, Object> create(String bootstrapServers, String registryApi) {
        return new KafkaProducer<>(properties(bootstrapServers, registryApi));
    }

    /**
     * A producer of an app's upstream system, as the README tells it to run: logged in with the
     * app's Kafka credential (the answer of {@code POST /v1/kafka-credentials}), the schema looked
     * up in the registry and never registered.
     */
    static KafkaProducer<String, Object> withCredential(JsonNode credential, String registryApi,
                                                        Map<String, Object> more) {
        Map<String, Object> properties = properties(credential.get("bootstrapServers").asString(), registryApi);
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, credential.get("securityProtocol").asString());
        properties.put(SaslConfigs.SASL_MECHANISM, credential.get("mechanism").asString());
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + credential.get("username").asString() + "\" password=\""
                + credential.get("password").asString() + "\";");
        properties.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
        properties.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
        properties.putAll(more);
        return new KafkaProducer<>(properties);
    }

    private static Map<String, Object> properties(String bootstrapServers, String registryApi) {
        Map<String, Object> properties = new HashMap<>(RegistrySerde.producerProperties(registryApi));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return properties;
    }
}
