package io.switchboard.platform.kafka;

import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.TopicSpec;
import io.switchboard.stack.ApicurioRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.platform.kafka.DeadLetterTestKit.avro;
import static io.switchboard.platform.kafka.DeadLetterTestKit.offline;
import static io.switchboard.platform.kafka.DeadLetterTestKit.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A view on a real broker, reading through a schema registry that goes down: it skips nothing
 * that is only unreadable for now, reads it once the registry answers again, and still skips (and
 * counts) bytes that can never be read.
 */
@EmbeddedKafka(partitions = 1)
class CompactedTopicViewRegistryOutageKafkaTests {

    @Test
    void aRecordTheRegistryCannotResolveForNowIsReadOnceItAnswersAndBadBytesAreSkipped(EmbeddedKafkaBroker broker)
            throws Exception {
        String topic = "presence-" + UUID.randomUUID();
        broker.addTopics(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        try (SwitchableRegistry registry = new SwitchableRegistry(ApicurioRegistry.shared().url())) {
            registry.down();
            CompactedTopicView<Object> view = new CompactedTopicView<>("presence", new TopicSpec(topic, 1, true, "key", null),
                    consumer(broker, registry.apiUrl()));
            view.start();
            try {
                send(new ProducerRecord<>(topic, "carol", avro(topic, offline("carol"))));

                await().atMost(Duration.ofSeconds(20)).until(() -> view.health().failure() != null);
                assertThat(view.get("carol")).isEmpty();
                assertThat(view.skipped()).as("a good record is never skipped for an outage").isZero();
                assertThat(view.health().dead()).isFalse();

                registry.up();
                await().atMost(Duration.ofSeconds(30)).until(() -> view.get("carol").isPresent());
                assertThat(view.health().failure()).isNull();

                send(new ProducerRecord<>(topic, "garbage", "not avro".getBytes(StandardCharsets.UTF_8)));
                send(new ProducerRecord<>(topic, "dave", avro(topic, offline("dave"))));
                await().atMost(Duration.ofSeconds(20)).until(() -> view.get("dave").isPresent());
                assertThat(view.skipped()).isEqualTo(1);
            } finally {
                view.stop();
            }
        }
    }

    private static Map<String, Object> consumer(EmbeddedKafkaBroker broker, String registryApiUrl) {
        Map<String, Object> properties = new HashMap<>(RegistrySerde.consumerProperties(registryApiUrl));
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, RegistryAvroDeserializer.class);
        return properties;
    }
}
