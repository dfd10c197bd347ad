package io.switchboard.platform.testing;

import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.stack.ApicurioRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Reads what a service published on a topic of the embedded broker, from the beginning. */
public final class TopicProbe {

    private TopicProbe() {
    }

    /** Waits until a record matching {@code match} appears and returns every record read so far. */
    public static <V> List<ConsumerRecord<String, V>> awaitRecord(String topic, Predicate<ConsumerRecord<String, V>> match) {
        Map<String, Object> properties = RegistrySerde.consumerProperties(ApicurioRegistry.shared().registryApiUrl());
        return poll(topic, properties, match);
    }

    /** Like {@link #awaitRecord} for raw-byte topics such as dead-letter topics. */
    public static List<ConsumerRecord<String, byte[]>> awaitRawRecord(String topic,
                                                                       Predicate<ConsumerRecord<String, byte[]>> match) {
        Map<String, Object> properties = new java.util.HashMap<>(
                RegistrySerde.consumerProperties(ApicurioRegistry.shared().registryApiUrl()));
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return poll(topic, properties, match);
    }

    /** Waits for a record with this key on a dead-letter topic and returns its reason ({@link DeadLetters#REASON_HEADER}). */
    public static String awaitDeadLetterReason(String deadLetterTopic, String key) {
        return awaitRawRecord(deadLetterTopic, r -> key.equals(r.key())).stream()
                .filter(r -> key.equals(r.key())).findFirst()
                .map(r -> new String(r.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8))
                .orElseThrow();
    }

    /**
     * Every record on the topic up to its end at the time of the call, from every partition: what a
     * service has published so far, e.g. to show that something was published only once.
     */
    public static <V> List<ConsumerRecord<String, V>> readToEnd(String topic) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                withBroker(RegistrySerde.consumerProperties(ApicurioRegistry.shared().registryApiUrl())))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return seen;
    }

    private static <V> List<ConsumerRecord<String, V>> poll(String topic, Map<String, Object> base,
                                                             Predicate<ConsumerRecord<String, V>> match) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(withBroker(base))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(match);
            });
        }
        return seen;
    }

    private static Map<String, Object> withBroker(Map<String, Object> base) {
        Map<String, Object> properties = new java.util.HashMap<>(base);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS));
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return properties;
    }
}
