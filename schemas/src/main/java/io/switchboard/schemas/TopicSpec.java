package io.switchboard.schemas;

import org.apache.avro.specific.SpecificRecord;

/**
 * One Kafka topic of Switchboard: its name, default partition count, cleanup policy, what its
 * key is and which Avro record its values carry. Deployments may override the partition count
 * (Strimzi {@code KafkaTopic} resources, the compose topic job); names, keys and value types are
 * the contract.
 *
 * @param name        topic name
 * @param partitions  default number of partitions
 * @param compacted   {@code true} for log-compacted state topics (latest value per key wins)
 * @param key         what the record key is, in words
 * @param valueType   Avro record class of the values; {@code null} for raw dead-letter topics
 */
public record TopicSpec(String name, int partitions, boolean compacted, String key,
                        Class<? extends SpecificRecord> valueType) {

    /**
     * How long a compacted topic keeps a tombstone after compaction ({@code delete.retention.ms}):
     * 7 days, Kafka's default being 1. Consumers that erase data on a tombstone (conversations,
     * apps) read it once in their consumer group; one down for longer than this could miss it.
     */
    public static final long TOMBSTONE_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;

    /** Suffix of the dead-letter topic that receives records its source topic's consumers rejected. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    /** The dead-letter topic of this topic: same partitions, raw bytes, reason in headers. */
    public TopicSpec deadLetter() {
        return new TopicSpec(name + DEAD_LETTER_SUFFIX, partitions, false, key, null);
    }
}
