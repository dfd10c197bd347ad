package io.switchboard.push.gateways;

import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.admin.TopicDescription;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.Map;

/**
 * Gateway N reads partition N of {@code push.deliveries}, and the fanout sends each gateway's
 * deliveries there. A gateway whose partition does not exist would announce itself all the same,
 * and the fanout's sends to it would fail until they time out, holding up every chat message
 * behind them for every user: such a gateway refuses to start instead, and says why.
 */
final class GatewayPartitionCheck {

    private GatewayPartitionCheck() {
    }

    /**
     * @throws IllegalStateException when {@code push.deliveries} has (or would be created with) no
     *                               partition for {@code gateway}
     */
    static void verify(int gateway, KafkaAdmin admin, KafkaTopicsProperties topics) {
        String name = Topics.PUSH_DELIVERIES.name();
        int partitions = existingPartitions(admin, name);
        if (partitions == 0) {
            // not created yet: this service creates it with the configured count
            partitions = topics.partitions().getOrDefault(name, Topics.PUSH_DELIVERIES.partitions());
        }
        if (gateway >= partitions) {
            throw new IllegalStateException("Gateway ordinal " + gateway + " reads partition " + gateway + " of " + name
                    + ", which has " + partitions + " partition(s): give " + name + " (and " + name
                    + ".dlt) one partition per gateway (switchboard.kafka.partitions, or the KafkaTopic), or run fewer gateways");
        }
    }

    private static int existingPartitions(KafkaAdmin admin, String name) {
        try {
            Map<String, TopicDescription> topics = admin.describeTopics(name);
            TopicDescription topic = topics.get(name);
            return topic == null ? 0 : topic.partitions().size();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
