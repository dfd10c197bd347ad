package io.switchboard.platform.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Map;

/**
 * How a service creates the topics it uses when it starts.
 *
 * @param createTopics      create missing topics at start-up (the local stack and tests); off where
 *                          deployment tooling (Strimzi KafkaTopic, the compose job) owns topics
 * @param replicationFactor replication factor of created topics
 * @param partitions        partition counts that override the catalog's defaults, by topic name
 */
@ConfigurationProperties("switchboard.kafka")
public record KafkaTopicsProperties(@DefaultValue("true") boolean createTopics,
                                    @DefaultValue("1") short replicationFactor,
                                    Map<String, Integer> partitions) {

    public KafkaTopicsProperties {
        partitions = partitions == null ? Map.of() : Map.copyOf(partitions);
    }
}
