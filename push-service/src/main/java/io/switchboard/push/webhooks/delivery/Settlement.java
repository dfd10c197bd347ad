package io.switchboard.push.webhooks.delivery;

import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.WebhookEventType;
import io.switchboard.push.webhooks.WebhookProperties;
import io.switchboard.push.webhooks.endpoints.EndpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an attempt's outcome means for its delivery and endpoint, in one transaction: the attempt
 * is logged; a success delivers; a failure schedules the next attempt after an exponential backoff
 * with jitter (resilience4j {@link IntervalFunction}), or dead-letters the delivery ({@code failed},
 * {@code retries-exhausted}) after the last one. An endpoint whose attempts have all failed for
 * {@code disable-after} is disabled: its pending deliveries are dead-lettered
 * ({@code endpoint-disabled}) and the app's other endpoints hear {@code webhook.endpoint.disabled}.
 */
@Component
class Settlement {

    static final String RETRIES_EXHAUSTED = "retries-exhausted";
    static final String ENDPOINT_DISABLED = "endpoint-disabled";

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    private final DeliveryQueue queue;
    private final EndpointStore endpoints;
    private final EventRecorder recorder;
    private final IntervalFunction backoff;
    private final Duration disableAfter;
    private final MeterRegistry meters;
    private final Timer latency;

    Settlement(DeliveryQueue queue, EndpointStore endpoints, EventRecorder recorder, WebhookProperties properties,
               MeterRegistry meters) {
        this.queue = queue;
        this.endpoints = endpoints;
        this.recorder = recorder;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(properties.initialBackoff(),
                properties.backoffMultiplier(), properties.backoffJitter(), properties.maxBackoff());
        this.disableAfter = properties.disableAfter();
        this.meters = meters;
        this.latency = Timer.builder("switchboard.webhooks.delivery.latency")
                .description("From a delivery's recording to its successful attempt's answer")
                .publishPercentileHistogram().register(meters);
    }

    /** The wait after failed attempt number {@code attempt} (1 for the first). */
    Duration backoffAfter(int attempt) {
        return Duration.ofMillis(backoff.apply(attempt));
    }

    /** Settles an attempt; returns true if it disabled the endpoint. */
    @Transactional
    boolean settle(ClaimedDelivery delivery, Instant startedAt, AttemptResult result) {
        Instant now = Instant.now();
        queue.logAttempt(delivery, startedAt, result);
        if (result.succeeded()) {
            queue.delivered(delivery, now);
            if (delivery.failing()) {
                endpoints.markHealthy(delivery.endpointId());
            }
            meters.counter("switchboard.webhooks.deliveries.completed", "status", "delivered").increment();
            latency.record(Duration.between(delivery.createdAt(), now));
            return false;
        }
        if (delivery.attempt() >= delivery.attemptLimit()) {
            queue.failed(delivery, RETRIES_EXHAUSTED, now);
            meters.counter("switchboard.webhooks.deliveries.completed", "status", "failed").increment();
        } else {
            queue.retryAt(delivery, now.plus(backoffAfter(delivery.attempt())));
        }
        endpoints.markFailing(delivery.endpointId(), now);
        if (!endpoints.disableIfFailingSince(delivery.endpointId(), now.minus(disableAfter), now)) {
            return false;
        }
        int dropped = queue.failPending(delivery.endpointId(), ENDPOINT_DISABLED, now);
        log.warn("Webhook endpoint {} of app {} disabled: every attempt failed for {}; {} pending deliveries dead-lettered",
                delivery.endpointId(), delivery.appId(), disableAfter, dropped);
        meters.counter("switchboard.webhooks.endpoints.disabled").increment();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpointId", delivery.endpointId());
        data.put("reason", "failing");
        data.put("failingFor", disableAfter.toString());
        data.put("deadLettered", dropped);
        recorder.record(List.of(WebhookEvent.of("webhook.endpoint.disabled:" + delivery.endpointId() + ":" + now.toEpochMilli(),
                delivery.appId(), WebhookEventType.ENDPOINT_DISABLED, now, data)));
        return true;
    }
}
