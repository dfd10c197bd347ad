package io.switchboard.platform.kafka;

import io.switchboard.schemas.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.switchboard.platform.kafka.DeadLetterTestKit.avro;
import static io.switchboard.platform.kafka.DeadLetterTestKit.header;
import static io.switchboard.platform.kafka.DeadLetterTestKit.offline;
import static io.switchboard.platform.kafka.DeadLetterTestKit.readAll;
import static io.switchboard.platform.kafka.DeadLetterTestKit.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real {@link DeadLetters} error handler in a listener container, on a real broker and the real
 * registry, for record listeners and for batch listeners ({@link PollBatch}): each kind of bad
 * record lands in the dead-letter topic with its reason and counts in the metric, and the
 * partition moves on; a registry outage loses nothing.
 */
@EmbeddedKafka(partitions = 1)
class DeadLettersKafkaRegistryTests {

    private final List<DeadLetteringListener> listeners = new java.util.ArrayList<>();
    private String topic;

    @BeforeEach
    void freshTopic(EmbeddedKafkaBroker broker) {
        topic = DeadLetterTestKit.newTopicWithDeadLetters(broker, "orders", 1);
    }

    @AfterEach
    void stopListeners() {
        listeners.forEach(DeadLetteringListener::close);
    }

    @Test
    void unknownSchemaIdIsDeadLetteredAsUnknownSchemaAndCounted() {
        unknownSchemaIdIsDeadLetteredAsUnknownSchemaAndCounted(false);
    }

    @Test
    void unknownSchemaIdIsDeadLetteredAsUnknownSchemaAndCountedInABatchListener() {
        unknownSchemaIdIsDeadLetteredAsUnknownSchemaAndCounted(true);
    }

    private void unknownSchemaIdIsDeadLetteredAsUnknownSchemaAndCounted(boolean batch) {
        DeadLetteringListener listener = listen(DeadLetteringListener.onSharedRegistry(topic, batch));
        byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(999_999).put(new byte[] {2, 4, 6, 8}).array();

        send(new ProducerRecord<>(topic, "framed-unknown-id", unknownSchema));
        send(new ProducerRecord<>(topic, "good", avro(topic, offline("alice"))));

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.processedKeys().contains("good"));
        ConsumerRecord<String, byte[]> dead = onlyDeadLetter();
        assertThat(dead.key()).isEqualTo("framed-unknown-id");
        assertThat(dead.value()).isEqualTo(unknownSchema);
        assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo(DeadLetters.UNKNOWN_SCHEMA);
        assertThat(header(dead, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(topic);
        assertThat(listener.deadLetterCount(topic, DeadLetters.UNKNOWN_SCHEMA)).isEqualTo(1.0);
        assertThat(listener.deadLetterCount(topic, DeadLetters.MALFORMED_RECORD)).isZero();
    }

    @Test
    void unreadableBytesAreDeadLetteredAsMalformedRecordAndCounted() {
        unreadableBytesAreDeadLetteredAsMalformedRecordAndCounted(false);
    }

    @Test
    void unreadableBytesAreDeadLetteredAsMalformedRecordAndCountedInABatchListener() {
        unreadableBytesAreDeadLetteredAsMalformedRecordAndCounted(true);
    }

    private void unreadableBytesAreDeadLetteredAsMalformedRecordAndCounted(boolean batch) {
        DeadLetteringListener listener = listen(DeadLetteringListener.onSharedRegistry(topic, batch));

        send(new ProducerRecord<>(topic, "garbage", "not avro at all".getBytes(StandardCharsets.UTF_8)));
        send(new ProducerRecord<>(topic, "good", avro(topic, offline("alice"))));

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.processedKeys().contains("good"));
        ConsumerRecord<String, byte[]> dead = onlyDeadLetter();
        assertThat(dead.key()).isEqualTo("garbage");
        assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo(DeadLetters.MALFORMED_RECORD);
        assertThat(listener.deadLetterCount(topic, DeadLetters.MALFORMED_RECORD)).isEqualTo(1.0);
    }

    @Test
    void unprocessableRecordIsDeadLetteredWithItsOwnReasonAndCounted() {
        unprocessableRecordIsDeadLetteredWithItsOwnReasonAndCounted(false);
    }

    @Test
    void unprocessableRecordIsDeadLetteredWithItsOwnReasonAndCountedInABatchListener() {
        unprocessableRecordIsDeadLetteredWithItsOwnReasonAndCounted(true);
    }

    private void unprocessableRecordIsDeadLetteredWithItsOwnReasonAndCounted(boolean batch) {
        DeadLetteringListener listener = listen(DeadLetteringListener.onSharedRegistry(topic, batch));
        listener.rejections.put("for-unknown-app", "unknown-app");
        byte[] value = avro(topic, offline("bob"));

        send(new ProducerRecord<>(topic, "for-unknown-app", value));
        send(new ProducerRecord<>(topic, "good", avro(topic, offline("alice"))));

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.processedKeys().contains("good"));
        ConsumerRecord<String, byte[]> dead = onlyDeadLetter();
        assertThat(dead.value()).isEqualTo(value);
        assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("unknown-app");
        assertThat(listener.deadLetterCount(topic, "unknown-app")).isEqualTo(1.0);
    }

    @Test
    void registryOutageKeepsTheRecordUntilTheRegistryAnswers() {
        registryOutageKeepsTheRecordUntilTheRegistryAnswers(false);
    }

    @Test
    void registryOutageKeepsTheRecordUntilTheRegistryAnswersInABatchListener() {
        registryOutageKeepsTheRecordUntilTheRegistryAnswers(true);
    }

    @Test
    void aRegistryThatFailsInAnyWayKeepsTheRecordUntilItAnswers(EmbeddedKafkaBroker broker) throws Exception {
        for (FailingRegistry.Failure failure : FailingRegistry.Failure.values()) {
            topic = DeadLetterTestKit.newTopicWithDeadLetters(broker, "orders-" + failure.name().toLowerCase(), 1);
            try (FailingRegistry registry = new FailingRegistry(failure)) {
                registryOutageKeepsTheRecordUntilTheRegistryAnswers(registry.apiUrl(), false);
            }
        }
    }

    private void registryOutageKeepsTheRecordUntilTheRegistryAnswers(boolean batch) {
        registryOutageKeepsTheRecordUntilTheRegistryAnswers("http://127.0.0.1:1/apis/registry/v3", batch);
    }

    private void registryOutageKeepsTheRecordUntilTheRegistryAnswers(String registryUrl, boolean batch) {
        DeadLetteringListener cutOff = listen(new DeadLetteringListener(topic, "group-" + topic, registryUrl, batch));

        send(new ProducerRecord<>(topic, "during-outage", avro(topic, offline("carol"))));

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                cutOff.processed.isEmpty() && cutOff.meters.find(DeadLetters.METRIC).counters().isEmpty());
        cutOff.close();
        listeners.remove(cutOff);
        DeadLetteringListener recovered = listen(DeadLetteringListener.onSharedRegistry(topic, batch));
        await().atMost(Duration.ofSeconds(30)).until(() -> recovered.processedKeys().contains("during-outage"));
        assertThat(readAll(topic + TopicSpec.DEAD_LETTER_SUFFIX)).isEmpty();
    }

    private DeadLetteringListener listen(DeadLetteringListener listener) {
        listeners.add(listener);
        return listener;
    }

    private ConsumerRecord<String, byte[]> onlyDeadLetter() {
        List<ConsumerRecord<String, byte[]>> dead = readAll(topic + TopicSpec.DEAD_LETTER_SUFFIX);
        assertThat(dead).hasSize(1);
        return dead.getFirst();
    }
}
