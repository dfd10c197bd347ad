package io.switchboard.platform.kafka;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.util.Map;

/** Consumer settings for {@link CompactedTopicView}s. */
public final class ViewConsumers {

    private ViewConsumers() {
    }

    /**
     * The service's consumer settings with plain (not error-handling) deserializers: a view must
     * see an unreadable record as an error to skip, never as a null value, which would read as a
     * tombstone and delete the key.
     */
    public static Map<String, Object> properties(KafkaProperties kafkaProperties) {
        Map<String, Object> properties = kafkaProperties.buildConsumerProperties();
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class);
        return properties;
    }
}
