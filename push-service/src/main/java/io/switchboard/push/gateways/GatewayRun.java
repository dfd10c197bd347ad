package io.switchboard.push.gateways;

import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.push.PushProperties;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * This run of this gateway: its ordinal (which a restart keeps) and a random instance id (which a
 * restart changes), so that what a previous run of the same ordinal left behind can be told apart
 * from what this one holds.
 */
@Component
public class GatewayRun {

    private final int gateway;
    private final String instanceId = UUID.randomUUID().toString();
    private final Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    GatewayRun(PushProperties properties, KafkaAdmin admin, KafkaTopicsProperties topics) {
        this.gateway = properties.gatewayOrdinal();
        GatewayPartitionCheck.verify(gateway, admin, topics);
    }

    /** The gateway ordinal: also its {@code push.deliveries} partition. */
    public int gateway() {
        return gateway;
    }

    public String instanceId() {
        return instanceId;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
