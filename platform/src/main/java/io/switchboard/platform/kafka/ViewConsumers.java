package io.switchboard.platform.kafka;

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
     * see an unreadable record as an error, never as a null value, which would read as a tombstone
     * and delete the key; and the registry's outages told apart from unreadable bytes
     * ({@link RegistryAvroDeserializer}), so that the view waits for the registry instead of
     * skipping a good record.
     */
    public static Map<String, Object> properties(KafkaProperties kafkaProperties) {
        Map<String, Object> properties = kafkaProperties.buildConsumerProperties();
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, RegistryAvroDeserializer.class);
        return properties;
    }
}
