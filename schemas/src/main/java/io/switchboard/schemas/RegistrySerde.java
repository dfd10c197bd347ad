package io.switchboard.schemas;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.SerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka client settings for Switchboard's Avro values: Apicurio Registry's serde, which writes
 * the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) and looks schemas up in
 * the registry, with the subject of a value named {@code <topic>-value} and each schema registered
 * self-contained.
 *
 * <p>A Java upstream producer needs only {@code kafka-clients}, this artifact and
 * {@link #producerProperties(String)}; producers using Confluent's own serializer point it at the
 * registry's {@code /apis/ccompat/v7} endpoint instead.
 */
public final class RegistrySerde {

    private RegistrySerde() {
    }

    /**
     * Serializer settings: string keys, Avro values, schemas registered on first use (the registry
     * refuses a schema that is not BACKWARD compatible with the subject's latest version).
     *
     * @param registryApiUrl Apicurio's v3 API, e.g. {@code http://localhost:8080/apis/registry/v3}
     */
    public static Map<String, Object> producerProperties(String registryApiUrl) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName());
        properties.put(SerdeConfig.REGISTRY_URL, registryApiUrl);
        properties.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        // register self-contained schemas (nested records inlined, no registry references), so any
        // Confluent-compatible client, in any language, can read them with one lookup
        properties.put(SerdeConfig.DEREFERENCE_SCHEMA, true);
        properties.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, CachingAvroDatumProvider.class.getName());
        return properties;
    }

    /**
     * Deserializer settings: string keys, Avro values read into the generated classes of this
     * module; the writer's schema is fetched from the registry by the id in the record.
     */
    public static Map<String, Object> consumerProperties(String registryApiUrl) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        properties.put(SerdeConfig.REGISTRY_URL, registryApiUrl);
        properties.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        properties.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, CachingAvroDatumProvider.class.getName());
        return properties;
    }
}
