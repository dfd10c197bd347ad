package io.switchboard.platform.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.stack.ApicurioRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A consumer of a test topic wired as a service wires its listeners: error-handling deserializers
 * around Apicurio's Avro deserializer and the real {@link DeadLetters} error handler, as a record
 * listener or as a batch listener going through {@link PollBatch}. It rejects the keys listed in
 * {@link #rejections} with their reason and records everything it processed.
 */
final class DeadLetteringListener implements AutoCloseable {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<ConsumerRecord<String, Object>> processed = new CopyOnWriteArrayList<>();
    /** Key to reason: such records fail with {@link UnprocessableRecordException}. */
    final Map<String, String> rejections = new ConcurrentHashMap<>();

    private final DeadLetters deadLetters;
    private final KafkaMessageListenerContainer<String, Object> container;

    /**
     * Starts consuming {@code topic} from the beginning as group {@code group}, reading schemas
     * from {@code registryApiUrl}, a record or a poll at a time.
     */
    DeadLetteringListener(String topic, String group, String registryApiUrl, boolean batch) {
        deadLetters = new DeadLetters(new DefaultKafkaProducerFactory<>(rawProducerProperties()),
                new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(avroProducerProperties())), meters);
        ContainerProperties containerProperties = new ContainerProperties(topic);
        containerProperties.setGroupId(group);
        if (batch) {
            containerProperties.setAckMode(ContainerProperties.AckMode.BATCH);
            containerProperties.setMessageListener((BatchConsumerAwareMessageListener<String, Object>) this::onPoll);
        } else {
            containerProperties.setAckMode(ContainerProperties.AckMode.RECORD);
            containerProperties.setMessageListener((MessageListener<String, Object>) this::onRecord);
        }
        container = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumerProperties(registryApiUrl)), containerProperties);
        container.setCommonErrorHandler(deadLetters.errorHandler());
        container.start();
    }

    static DeadLetteringListener onSharedRegistry(String topic, boolean batch) {
        return new DeadLetteringListener(topic, "group-" + topic, ApicurioRegistry.shared().registryApiUrl(), batch);
    }

    double deadLetterCount(String topic, String reason) {
        var counter = meters.find(DeadLetters.METRIC).tag("topic", topic).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    List<String> processedKeys() {
        return processed.stream().map(ConsumerRecord::key).toList();
    }

    private void onRecord(ConsumerRecord<String, Object> record) {
        String reason = rejections.get(record.key());
        if (reason != null) {
            throw new UnprocessableRecordException(reason, "rejected by the test");
        }
        processed.add(record);
    }

    private void onPoll(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer) {
        PollBatch<Object> batch = new PollBatch<>(records);
        for (int i : batch.readable()) {
            String reason = rejections.get(batch.record(i).key());
            if (reason != null) {
                batch.deadLetter(i, new UnprocessableRecordException(reason, "rejected by the test"));
            } else {
                processed.add(batch.record(i));
            }
        }
        batch.finish(deadLetters, consumer);
    }

    private static Map<String, Object> consumerProperties(String registryApiUrl) {
        Map<String, Object> properties = new HashMap<>(RegistrySerde.consumerProperties(registryApiUrl));
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DeadLetterTestKit.brokers());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        properties.put(ErrorHandlingDeserializer.KEY_DESERIALIZER_CLASS, StringDeserializer.class);
        properties.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, RegistryAvroDeserializer.class);
        return properties;
    }

    private static Map<String, Object> rawProducerProperties() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DeadLetterTestKit.brokers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    private static Map<String, Object> avroProducerProperties() {
        Map<String, Object> properties = new HashMap<>(RegistrySerde.producerProperties(ApicurioRegistry.shared().registryApiUrl()));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DeadLetterTestKit.brokers());
        return properties;
    }

    @Override
    public void close() {
        container.stop();
        deadLetters.destroy();
    }
}
