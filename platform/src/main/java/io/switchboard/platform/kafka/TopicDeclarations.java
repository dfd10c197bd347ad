package io.switchboard.platform.kafka;

import io.switchboard.schemas.TopicSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.Arrays;

/** Topic definitions from the catalog, for {@link KafkaAdmin} (or an {@code Admin} client) to create when they are missing. */
public final class TopicDeclarations {

    private TopicDeclarations() {
    }

    /** The topics a service uses, or none when topic creation is switched off. */
    public static KafkaAdmin.NewTopics of(KafkaTopicsProperties properties, TopicSpec... topics) {
        if (!properties.createTopics()) {
            return new KafkaAdmin.NewTopics();
        }
        return new KafkaAdmin.NewTopics(Arrays.stream(topics).map(t -> toNewTopic(t, properties)).toArray(NewTopic[]::new));
    }

    public static NewTopic toNewTopic(TopicSpec topic, KafkaTopicsProperties properties) {
        TopicBuilder builder = TopicBuilder.name(topic.name())
                .partitions(properties.partitions().getOrDefault(topic.name(), topic.partitions()))
                .replicas(properties.replicationFactor());
        if (topic.compacted()) {
            builder.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                    .config(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(TopicSpec.TOMBSTONE_RETENTION_MS));
        }
        return builder.build();
    }
}
