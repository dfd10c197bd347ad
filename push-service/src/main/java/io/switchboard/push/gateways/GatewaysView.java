package io.switchboard.push.gateways;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.push.GatewayHeartbeat;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which push-service gateways are alive, from their heartbeats on {@code push.gateways}.
 *
 * <p>A gateway is <em>gone</em> when this instance has read no heartbeat of it for the expiry the
 * gateway announced (its {@code gateway-expiry}). The time is measured on this instance's own
 * clock, from when it read the heartbeat, so clocks that differ between machines do not matter;
 * the price is that an instance that just started gives every gateway it replayed from the topic
 * one expiry of benefit of the doubt. Nothing is gone before the view has caught up, and a gateway
 * never heard of is not gone either: during a rolling upgrade, instances of a version without
 * heartbeats still hold live sessions.
 */
@Component
public class GatewaysView extends CompactedTopicView<GatewayHeartbeat> {

    /** When this instance read the latest heartbeat of each gateway (System.nanoTime). */
    private final Map<Integer, Long> readAtNanos = new ConcurrentHashMap<>();
    /** The last heartbeat of the run before the current one of each gateway, once a restart was seen. */
    private final Map<Integer, GatewayHeartbeat> previousRuns = new ConcurrentHashMap<>();

    GatewaysView(KafkaProperties kafkaProperties, MeterRegistry meters) {
        super("gateways", Topics.PUSH_GATEWAYS, ViewConsumers.properties(kafkaProperties));
        addListener((key, previous, current, partition, offset) -> {
            if (current == null) {
                return;
            }
            readAtNanos.put(current.getGateway(), System.nanoTime());
            if (previous != null && !previous.getInstanceId().equals(current.getInstanceId())) {
                previousRuns.put(current.getGateway(), previous);
            }
        });
        Gauge.builder("switchboard.push.gateways.live", this, view -> view.values().stream()
                        .filter(h -> !view.isGone(h.getGateway())).count())
                .description("push-service gateways whose heartbeats this instance reads in time").register(meters);
    }

    /** Whether no heartbeat of {@code gateway} was read for its expiry (see the class comment). */
    public boolean isGone(int gateway) {
        Long readAt = readAtNanos.get(gateway);
        Optional<GatewayHeartbeat> heartbeat = heartbeat(gateway);
        return isCaughtUp() && readAt != null && heartbeat.isPresent()
                && System.nanoTime() - readAt > Duration.ofMillis(heartbeat.get().getExpiryMillis()).toNanos();
    }

    /** The latest heartbeat read from {@code gateway}. */
    public Optional<GatewayHeartbeat> heartbeat(int gateway) {
        return get(Topics.gatewayKey(gateway));
    }

    /**
     * When the last run of {@code gateway} other than {@code instanceId} sent its last heartbeat: the
     * latest heartbeat when it is of another run, else the last one of the run before.
     */
    public Optional<Instant> lastHeartbeatOfOtherRun(int gateway, String instanceId) {
        Optional<GatewayHeartbeat> latest = heartbeat(gateway);
        if (latest.isPresent() && !latest.get().getInstanceId().equals(instanceId)) {
            return latest.map(GatewayHeartbeat::getHeartbeatAt);
        }
        return Optional.ofNullable(previousRuns.get(gateway)).map(GatewayHeartbeat::getHeartbeatAt);
    }
}
