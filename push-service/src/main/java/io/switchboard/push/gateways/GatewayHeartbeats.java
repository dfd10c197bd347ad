package io.switchboard.push.gateways;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.push.GatewayHeartbeat;
import io.switchboard.platform.BackgroundWorker;
import io.switchboard.push.PushProperties;
import io.switchboard.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Announces on {@code push.gateways}, every {@code gateway-heartbeat} from start-up on, that this
 * gateway is alive. When they stop (the process died or lost Kafka for longer than
 * {@code gateway-expiry}), the other gateways remove its sessions from presence.
 */
@Component
class GatewayHeartbeats extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(GatewayHeartbeats.class);

    private final KafkaTemplate<String, Object> kafka;
    private final GatewayRun run;
    private final Duration interval;
    private final Duration expiry;
    private final Counter failures;

    GatewayHeartbeats(KafkaTemplate<String, Object> kafka, GatewayRun run, PushProperties properties, MeterRegistry meters) {
        super("push-gateway-heartbeats");
        this.kafka = kafka;
        this.run = run;
        this.interval = properties.gatewayHeartbeat();
        this.expiry = properties.gatewayExpiry();
        this.failures = Counter.builder("switchboard.push.gateway.heartbeat.failures")
                .description("Heartbeats of this gateway the broker did not take").register(meters);
    }

    @Override
    protected void work() {
        while (isRunning()) {
            beat();
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void beat() {
        GatewayHeartbeat heartbeat = GatewayHeartbeat.newBuilder()
                .setGateway(run.gateway())
                .setInstanceId(run.instanceId())
                .setStartedAt(run.startedAt())
                .setHeartbeatAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setExpiryMillis(expiry.toMillis())
                .build();
        kafka.send(Topics.PUSH_GATEWAYS.name(), Topics.gatewayKey(run.gateway()), heartbeat).whenComplete((sent, error) -> {
            if (error != null) {
                failures.increment();
                log.warn("Heartbeat of gateway {} not sent: {}", run.gateway(), error.toString());
            }
        });
    }
}
