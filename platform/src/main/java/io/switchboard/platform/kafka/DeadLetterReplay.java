package io.switchboard.platform.kafka;

import io.switchboard.schemas.TopicSpec;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Re-drives dead letters after their cause is fixed: reads {@code <topic>.dlt} (every partition,
 * from the beginning or from {@link DeadLetterFilter#since()}), selects records with a
 * {@link DeadLetterFilter}, and produces each selected record again to its original topic (the
 * {@code kafka_dlt-original-topic} header) and original partition, with its original key, value
 * bytes and headers. The {@code kafka_dlt-*} and {@value DeadLetters#REASON_HEADER} headers are
 * dropped, and {@value #REPLAYED_FROM_HEADER} = {@code <dead-letter topic>/<partition>/<offset>}
 * is added. Values are copied as bytes, never deserialized, so a replay needs no schema registry.
 *
 * <p><b>Bounded.</b> A replay stops at the end offsets the dead-letter topic had when it began;
 * records dead-lettered meanwhile (including replayed records that fail again) wait for the next
 * replay.
 *
 * <p><b>Safe to run twice.</b> A replay remembers nothing and removes nothing from the dead-letter
 * topic: a second run with the same filter produces the same records again. That is harmless
 * because every Switchboard consumer is idempotent by key (routing by app and eventId, views by
 * key, pushes deduplicated by seq): a replayed record that already succeeded yields nothing new. A
 * replayed record that fails again is dead-lettered again, as a new dead letter. Use
 * {@link DeadLetterFilter#since()} to replay only what is new.
 *
 * <p>A dry run reads and counts the same records and produces nothing.
 */
public final class DeadLetterReplay {

    /** Header of a replayed record: {@code <dead-letter topic>/<partition>/<offset>} it came from. */
    public static final String REPLAYED_FROM_HEADER = "switchboard-replayed-from";
    /** Reason reported for a dead letter without the {@value DeadLetters#REASON_HEADER} header. */
    public static final String NO_REASON = "unspecified";
    /** How many selected dead letters a report lists one by one; the counts cover them all. */
    public static final int LISTED_LIMIT = 100;

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);
    private static final String DLT_HEADER_PREFIX = "kafka_dlt-";
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> consumerSettings;
    private final Map<String, Object> producerSettings;

    /**
     * @param consumerSettings Kafka consumer settings (bootstrap servers, security); serializers,
     *                         group and commit settings are replaced
     * @param producerSettings Kafka producer settings (bootstrap servers, security); serializers
     *                         and delivery settings are replaced
     */
    public DeadLetterReplay(Map<String, Object> consumerSettings, Map<String, Object> producerSettings) {
        this.consumerSettings = rawConsumer(consumerSettings);
        this.producerSettings = rawProducer(producerSettings);
    }

    /** A replay with the same client settings (at least {@code bootstrap.servers}) for reading and producing. */
    public static DeadLetterReplay withClientSettings(Map<String, Object> clientSettings) {
        return new DeadLetterReplay(clientSettings, clientSettings);
    }

    /** The dead-letter topic of {@code topic}, which may name either the original or the dead-letter topic. */
    public static String deadLetterTopicOf(String topic) {
        return topic.endsWith(TopicSpec.DEAD_LETTER_SUFFIX) ? topic : topic + TopicSpec.DEAD_LETTER_SUFFIX;
    }

    /**
     * Replays the dead letters of {@code topic} that {@code filter} selects, or only counts them.
     *
     * @param topic  the original topic or its dead-letter topic; a topic that does not exist has no
     *               dead letters
     * @param dryRun count and list, produce nothing
     * @throws org.apache.kafka.common.errors.TimeoutException when the broker does not answer in time
     * @throws IllegalStateException when reading stops making progress or the broker refuses a
     *                               replayed record; what was acknowledged before stays replayed,
     *                               and running the replay again is safe
     */
    public ReplayReport replay(String topic, DeadLetterFilter filter, boolean dryRun) {
        String deadLetterTopic = deadLetterTopicOf(topic);
        Selection selection = new Selection();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings);
             KafkaProducer<byte[], byte[]> producer = dryRun ? null : new KafkaProducer<>(producerSettings)) {
            new BoundedTopicScan(consumer, STALL_TIMEOUT).scan(deadLetterTopic, filter.since(), batch -> {
                List<DeadLetter> selected = selection.select(batch, filter);
                if (producer != null) {
                    produce(producer, selected);
                }
                selection.count(selected);
            });
        }
        ReplayReport report = new ReplayReport(deadLetterTopic, dryRun, selection.scanned, selection.byReason,
                selection.listed);
        log.info("{} {} of {} dead letters of {}", dryRun ? "Would replay" : "Replayed", report.selectedTotal(),
                report.scanned(), deadLetterTopic);
        return report;
    }

    private static void produce(KafkaProducer<byte[], byte[]> producer, List<DeadLetter> deadLetters) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (DeadLetter deadLetter : deadLetters) {
            sent.add(producer.send(deadLetter.toReplay()));
        }
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("The broker refused the replay of " + deadLetters.get(i).source()
                        + ": " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while replaying " + deadLetters.get(i).source(), e);
            }
        }
    }

    private static Map<String, Object> rawConsumer(Map<String, Object> settings) {
        Map<String, Object> consumer = new HashMap<>(settings);
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer.put(CommonClientConfigs.CLIENT_ID_CONFIG, "switchboard-dead-letter-replay");
        return consumer;
    }

    private static Map<String, Object> rawProducer(Map<String, Object> settings) {
        Map<String, Object> producer = new HashMap<>(settings);
        producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(CommonClientConfigs.CLIENT_ID_CONFIG, "switchboard-dead-letter-replay");
        return producer;
    }

    /** The selected dead letters so far: counted by reason, the first few listed. */
    private static final class Selection {
        private long scanned;
        private final Map<String, Long> byReason = new TreeMap<>();
        private final List<ReplayReport.Entry> listed = new ArrayList<>();

        List<DeadLetter> select(List<ConsumerRecord<byte[], byte[]>> batch, DeadLetterFilter filter) {
            scanned += batch.size();
            return batch.stream().map(DeadLetter::new)
                    .filter(deadLetter -> filter.matches(deadLetter.reason(), deadLetter.deadLetteredAt(), deadLetter.key()))
                    .toList();
        }

        void count(List<DeadLetter> selected) {
            for (DeadLetter deadLetter : selected) {
                byReason.merge(deadLetter.reason(), 1L, Long::sum);
                if (listed.size() < LISTED_LIMIT) {
                    listed.add(deadLetter.entry());
                }
            }
        }
    }

    /** One record of a dead-letter topic and what its headers say about where it came from. */
    private record DeadLetter(ConsumerRecord<byte[], byte[]> record) {

        String source() {
            return record.topic() + "/" + record.partition() + "/" + record.offset();
        }

        String key() {
            return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        }

        String reason() {
            String reason = header(DeadLetters.REASON_HEADER);
            return reason == null ? NO_REASON : reason;
        }

        Instant deadLetteredAt() {
            return Instant.ofEpochMilli(record.timestamp());
        }

        /** The {@code kafka_dlt-original-topic} header, or the topic the dead-letter topic is named after. */
        String originalTopic() {
            String original = header(KafkaHeaders.DLT_ORIGINAL_TOPIC);
            return original != null ? original
                    : record.topic().substring(0, record.topic().length() - TopicSpec.DEAD_LETTER_SUFFIX.length());
        }

        /** The {@code kafka_dlt-original-partition} header; without it the key decides the partition. */
        Integer originalPartition() {
            Header partition = record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
            return partition == null || partition.value().length != Integer.BYTES ? null
                    : ByteBuffer.wrap(partition.value()).getInt();
        }

        ProducerRecord<byte[], byte[]> toReplay() {
            RecordHeaders headers = new RecordHeaders();
            for (Header header : record.headers()) {
                if (!header.key().startsWith(DLT_HEADER_PREFIX) && !header.key().equals(DeadLetters.REASON_HEADER)
                        && !header.key().equals(REPLAYED_FROM_HEADER)) {
                    headers.add(header);
                }
            }
            headers.add(REPLAYED_FROM_HEADER, source().getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(originalTopic(), originalPartition(), record.key(), record.value(), headers);
        }

        ReplayReport.Entry entry() {
            return new ReplayReport.Entry(source(), originalTopic(), key(), reason(), deadLetteredAt());
        }

        private String header(String name) {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    }
}
