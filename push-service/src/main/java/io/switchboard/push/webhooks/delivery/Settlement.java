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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What attempts' outcomes mean for their deliveries and endpoints, a batch of attempts in one
 * transaction (one commit for many attempts is what lets deliveries keep up): each attempt is logged; a success delivers; a failure schedules the next attempt after an exponential backoff
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

    /**
     * Settles finished attempts in one transaction (their log rows and the deliveries' new states
     * in batches); returns the endpoints it disabled.
     */
    @Transactional
    Set<String> settleAll(List<Finished> finished) {
        Instant now = Instant.now();
        queue.logAttempts(finished);
        List<ClaimedDelivery> delivered = new ArrayList<>();
        List<ClaimedDelivery> dead = new ArrayList<>();
        List<DeliveryQueue.Retry> retries = new ArrayList<>();
        Map<String, ClaimedDelivery> failingEndpoints = new LinkedHashMap<>();
        Set<String> recovered = new HashSet<>();
        for (Finished attempt : finished) {
            ClaimedDelivery delivery = attempt.delivery();
            if (attempt.result().succeeded()) {
                delivered.add(delivery);
                if (delivery.failing()) {
                    recovered.add(delivery.endpointId());
                }
                latency.record(Duration.between(delivery.createdAt(), now));
            } else {
                if (delivery.attempt() >= delivery.attemptLimit()) {
                    dead.add(delivery);
                } else {
                    retries.add(new DeliveryQueue.Retry(delivery, now.plus(backoffAfter(delivery.attempt()))));
                }
                failingEndpoints.put(delivery.endpointId(), delivery);
            }
        }
        queue.delivered(delivered, now);
        queue.retry(retries);
        queue.failed(dead, RETRIES_EXHAUSTED, now);
        recovered.stream().filter(id -> !failingEndpoints.containsKey(id)).forEach(endpoints::markHealthy);
        meters.counter("switchboard.webhooks.deliveries.completed", "status", "delivered").increment(delivered.size());
        meters.counter("switchboard.webhooks.deliveries.completed", "status", "failed").increment(dead.size());
        Set<String> disabled = new HashSet<>();
        failingEndpoints.values().forEach(delivery -> {
            if (disableIfFailingTooLong(delivery, now)) {
                disabled.add(delivery.endpointId());
            }
        });
        return disabled;
    }

    /** Notes that the endpoint failed now; disables it if it has been failing for {@code disable-after}. */
    private boolean disableIfFailingTooLong(ClaimedDelivery delivery, Instant now) {
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
