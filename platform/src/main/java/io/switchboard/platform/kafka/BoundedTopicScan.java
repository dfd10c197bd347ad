package io.switchboard.platform.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads every partition of a topic, from the beginning or from a point in time, up to the end
 * offsets it captures when it starts: records appended while it reads are not chased, so a scan
 * always ends. Uses an assigned consumer without a group; it commits nothing.
 */
final class BoundedTopicScan {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration stallTimeout;

    /** @param stallTimeout how long reading may make no progress before the scan gives up */
    BoundedTopicScan(KafkaConsumer<byte[], byte[]> consumer, Duration stallTimeout) {
        this.consumer = consumer;
        this.stallTimeout = stallTimeout;
    }

    /**
     * Hands {@code batch} the records of {@code topic} from {@code since} (or the beginning when
     * {@code null}) up to the end offsets of now, one poll's worth at a time. A topic that does not
     * exist has no records.
     *
     * @throws IllegalStateException when reading makes no progress for the stall timeout (broker gone)
     */
    void scan(String topic, Instant since, Consumer<List<ConsumerRecord<byte[], byte[]>>> batch) {
        List<TopicPartition> partitions = partitionsOf(topic);
        if (partitions.isEmpty()) {
            return;
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        seekToStart(partitions, since);
        Set<TopicPartition> unfinished = new HashSet<>(partitions);
        long lastProgress = System.nanoTime();
        long positions = positions(partitions);
        while (true) {
            unfinished.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
            consumer.pause(partitions.stream().filter(p -> !unfinished.contains(p)).toList());
            if (unfinished.isEmpty()) {
                return;
            }
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL_TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> bounded = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : polled) {
                if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                    bounded.add(record);
                }
            }
            if (!bounded.isEmpty()) {
                batch.accept(bounded);
            }
            long now = positions(partitions);
            if (now != positions) {
                positions = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                throw new IllegalStateException("Reading " + topic + " made no progress for " + stallTimeout.toSeconds()
                        + " s; is the broker reachable?");
            }
        }
    }

    private List<TopicPartition> partitionsOf(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, stallTimeout);
        if (infos == null) {
            return List.of();
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private void seekToStart(List<TopicPartition> partitions, Instant since) {
        if (since == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> since.toEpochMilli())));
        List<TopicPartition> nothingSince = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                nothingSince.add(partition);
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        if (!nothingSince.isEmpty()) { // an empty list would mean every assigned partition
            consumer.seekToEnd(nothingSince);
        }
    }

    private long positions(List<TopicPartition> partitions) {
        return partitions.stream().mapToLong(consumer::position).sum();
    }
}
