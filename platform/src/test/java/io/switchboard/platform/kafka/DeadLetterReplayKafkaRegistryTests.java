package io.switchboard.platform.kafka;

import io.switchboard.schemas.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.kafka.DeadLetterTestKit.avro;
import static io.switchboard.platform.kafka.DeadLetterTestKit.header;
import static io.switchboard.platform.kafka.DeadLetterTestKit.offline;
import static io.switchboard.platform.kafka.DeadLetterTestKit.readAll;
import static io.switchboard.platform.kafka.DeadLetterTestKit.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@link DeadLetterReplay} on a real broker: records dead-lettered by the real {@link DeadLetters}
 * handler (and, for exact timestamps, written straight to a dead-letter topic) are replayed by
 * reason, time and key, intact, bounded, and not at all in a dry run.
 */
@EmbeddedKafka(partitions = 1)
class DeadLetterReplayKafkaRegistryTests {

    private static final String UNKNOWN_APP = "unknown-app";
    private static final String TEMPLATE_ERROR = "template-error";

    private final Map<String, ProducerRecord<String, byte[]>> sent = new HashMap<>();
    private String topic;
    private String deadLetterTopic;
    private DeadLetteringListener listener;
    private DeadLetterReplay replay;

    @BeforeEach
    void fourRecordsDeadLetteredForThreeReasons(EmbeddedKafkaBroker broker) {
        topic = DeadLetterTestKit.newTopicWithDeadLetters(broker, "events", 2);
        deadLetterTopic = topic + TopicSpec.DEAD_LETTER_SUFFIX;
        replay = DeadLetterReplay.withClientSettings(Map.of("bootstrap.servers", DeadLetterTestKit.brokers()));
        listener = DeadLetteringListener.onSharedRegistry(topic, false);
        listener.rejections.putAll(Map.of("a1", UNKNOWN_APP, "a2", UNKNOWN_APP, "t1", TEMPLATE_ERROR));

        sendTraced(0, "a1", avro(topic, offline("alice")));
        sendTraced(1, "a2", avro(topic, offline("bob")));
        sendTraced(1, "t1", avro(topic, offline("carol")));
        sendTraced(0, "m1", "not avro".getBytes(StandardCharsets.UTF_8));
        sendTraced(0, "ok", avro(topic, offline("dave")));

        await().atMost(Duration.ofSeconds(30)).until(() -> readAll(deadLetterTopic).size() == 4
                && listener.processedKeys().contains("ok"));
    }

    @AfterEach
    void stopListener() {
        listener.close();
    }

    @Test
    void replayOfOneReasonProducesExactlyThoseRecordsToTheirOriginalPartitionsIntact() {
        listener.rejections.clear(); // the fix: the app now exists

        ReplayReport report = replay.replay(topic, new DeadLetterFilter(UNKNOWN_APP, null, null, null), false);

        assertThat(report.dryRun()).isFalse();
        assertThat(report.scanned()).isEqualTo(4);
        assertThat(report.selectedByReason()).isEqualTo(Map.of(UNKNOWN_APP, 2L));
        List<ConsumerRecord<String, byte[]>> replayed = replayedOnTopic();
        assertThat(replayed).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("a1", "a2");
        for (ConsumerRecord<String, byte[]> record : replayed) {
            ProducerRecord<String, byte[]> original = sent.get(record.key());
            assertThat(record.value()).isEqualTo(original.value());
            assertThat(record.partition()).isEqualTo(original.partition());
            assertThat(header(record, "trace-id")).isEqualTo(record.key() + "-trace");
            assertThat(header(record, DeadLetterReplay.REPLAYED_FROM_HEADER)).isEqualTo(deadLetterSource(record.key()));
            assertThat(record.headers()).extracting(Header::key)
                    .noneMatch(name -> name.startsWith("kafka_dlt-") || name.equals(DeadLetters.REASON_HEADER));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.processedKeys().containsAll(List.of("a1", "a2")));
        assertThat(listener.processedKeys()).doesNotContain("t1", "m1");
    }

    @Test
    void dryRunCountsAndListsButProducesNothing() {
        int recordsBefore = readAll(topic).size();

        ReplayReport report = replay.replay(topic, DeadLetterFilter.ALL, true);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.selectedByReason()).isEqualTo(Map.of(UNKNOWN_APP, 2L, TEMPLATE_ERROR, 1L,
                DeadLetters.MALFORMED_RECORD, 1L));
        assertThat(report.selected()).extracting(ReplayReport.Entry::key).containsExactlyInAnyOrder("a1", "a2", "t1", "m1");
        assertThat(report.selected()).extracting(ReplayReport.Entry::originalTopic).containsOnly(topic);
        assertThat(report.selected()).filteredOn(entry -> entry.key().equals("t1")).singleElement()
                .extracting(ReplayReport.Entry::source).isEqualTo(deadLetterSource("t1"));
        assertThat(readAll(topic)).hasSize(recordsBefore);
    }

    @Test
    void secondRunReplaysTheSameDeadLettersAgainAndWhatFailedAgainToo() {
        // no fix: the replayed t1 fails again and becomes a new dead letter, which remembers its replay
        ReplayReport first = replay.replay(topic, new DeadLetterFilter(TEMPLATE_ERROR, null, null, null), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> readAll(deadLetterTopic).size() == 5);

        ReplayReport second = replay.replay(topic, new DeadLetterFilter(TEMPLATE_ERROR, null, null, null), false);

        assertThat(first.selectedByReason()).isEqualTo(Map.of(TEMPLATE_ERROR, 1L));
        assertThat(second.selectedByReason()).isEqualTo(Map.of(TEMPLATE_ERROR, 2L));
        ConsumerRecord<String, byte[]> deadAgain = readAll(deadLetterTopic).stream()
                .filter(record -> header(record, DeadLetterReplay.REPLAYED_FROM_HEADER) != null).findFirst().orElseThrow();
        assertThat(deadAgain.key()).isEqualTo("t1");
        assertThat(header(deadAgain, DeadLetterReplay.REPLAYED_FROM_HEADER)).isEqualTo(deadLetterSource("t1"));
        assertThat(replayedOnTopic()).extracting(ConsumerRecord::key).containsOnly("t1").hasSize(3);
    }

    @Test
    void replayStopsAtTheEndItSawAtTheStartEvenWhenItFeedsItsOwnTopic() {
        // a dead letter whose original topic is the dead-letter topic itself: an unbounded replay would never end
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, deadLetterTopic.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.REASON_HEADER, "loop".getBytes(StandardCharsets.UTF_8));
        send(new ProducerRecord<>(deadLetterTopic, 0, "looping", "x".getBytes(StandardCharsets.UTF_8), headers));

        ReplayReport first = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> replay.replay(deadLetterTopic, new DeadLetterFilter(null, null, null, "looping"), false));
        ReplayReport second = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> replay.replay(deadLetterTopic, new DeadLetterFilter(null, null, null, "looping"), false));

        assertThat(first.selectedTotal()).isEqualTo(1);
        assertThat(second.selectedTotal()).isEqualTo(2);
        assertThat(second.selectedByReason()).isEqualTo(Map.of("loop", 1L, DeadLetterReplay.NO_REASON, 1L));
    }

    @Test
    void sinceUntilAndKeySelectByWhenAndWhatWasDeadLettered() {
        Instant start = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        writeDeadLetter("k1", start);
        writeDeadLetter("k2", start.plus(1, ChronoUnit.HOURS));
        writeDeadLetter("k3", start.plus(2, ChronoUnit.HOURS));
        writeDeadLetter("k2", start.plus(2, ChronoUnit.HOURS));
        Instant since = start.plus(1, ChronoUnit.HOURS);
        Instant until = start.plus(2, ChronoUnit.HOURS);

        assertThat(keysSelected(new DeadLetterFilter(null, since, null, null))).containsExactlyInAnyOrder("k2", "k3", "k2");
        assertThat(keysSelected(new DeadLetterFilter(null, since, until, null))).containsExactly("k2");
        assertThat(keysSelected(new DeadLetterFilter(null, null, until, "k2"))).containsExactly("k2");
        assertThat(keysSelected(new DeadLetterFilter(DeadLetterReplay.NO_REASON, null, null, "k2"))).hasSize(2);
    }

    private List<String> keysSelected(DeadLetterFilter filter) {
        // the four dead letters of the set-up were written now, after every instant used here
        return replay.replay(topic, filter, true).selected().stream().map(ReplayReport.Entry::key)
                .filter(key -> key.startsWith("k")).toList();
    }

    private void writeDeadLetter(String key, Instant deadLetteredAt) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(1).array());
        send(new ProducerRecord<>(deadLetterTopic, 1, deadLetteredAt.toEpochMilli(), key,
                key.getBytes(StandardCharsets.UTF_8), headers));
    }

    private void sendTraced(int partition, String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", (key + "-trace").getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, key, value, headers);
        sent.put(key, record);
        send(record);
    }

    private List<ConsumerRecord<String, byte[]>> replayedOnTopic() {
        return readAll(topic).stream()
                .filter(record -> header(record, DeadLetterReplay.REPLAYED_FROM_HEADER) != null).toList();
    }

    /** Where the set-up's dead letter of {@code key} is, as the replayed-from header names it. */
    private String deadLetterSource(String key) {
        ConsumerRecord<String, byte[]> dead = readAll(deadLetterTopic).stream()
                .filter(record -> key.equals(record.key())).findFirst().orElseThrow();
        return deadLetterTopic + "/" + dead.partition() + "/" + dead.offset();
    }
}
