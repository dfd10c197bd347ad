package io.switchboard.push.webhooks.delivery;

import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.WebhookEventType;
import io.switchboard.push.webhooks.WebhookProperties;
import io.switchboard.push.webhooks.endpoints.EndpointHealth;
import io.switchboard.push.webhooks.endpoints.EndpointHealthStore;
import io.switchboard.push.webhooks.endpoints.EndpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What attempts' outcomes mean for their deliveries and endpoints, a batch of attempts in one
 * transaction (one commit for many attempts is what lets deliveries keep up): each attempt is
 * logged; a success delivers; a failure schedules the next attempt after an exponential backoff
 * with jitter (resilience4j {@link IntervalFunction}), or dead-letters the delivery ({@code failed},
 * {@code retries-exhausted}) after the last one. An endpoint whose attempts have all failed for
 * {@code disable-after} is disabled: its pending deliveries are dead-lettered
 * ({@code endpoint-disabled}) and the app's other endpoints hear {@code webhook.endpoint.disabled}.
 * Each endpoint's health ({@link EndpointHealthStore}) follows its attempts: a breaker of an
 * instance that opens holds every instance off the endpoint for {@code open-for}.
 */
@Component
class Settlement {

    static final String RETRIES_EXHAUSTED = "retries-exhausted";
    static final String ENDPOINT_DISABLED = "endpoint-disabled";
    static final String APP_DELETED = "app-deleted";
    static final String PAYLOAD_UNDECRYPTABLE = "payload-undecryptable";

    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    private final DeliveryQueue queue;
    private final EndpointStore endpoints;
    private final EndpointHealthStore health;
    private final EventRecorder recorder;
    private final IntervalFunction backoff;
    private final Duration disableAfter;
    private final Duration openFor;
    private final MeterRegistry meters;
    private final Timer latency;

    Settlement(DeliveryQueue queue, EndpointStore endpoints, EndpointHealthStore health, EventRecorder recorder,
               WebhookProperties properties, MeterRegistry meters) {
        this.queue = queue;
        this.endpoints = endpoints;
        this.health = health;
        this.recorder = recorder;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(properties.initialBackoff(),
                properties.backoffMultiplier(), properties.backoffJitter(), properties.maxBackoff());
        this.disableAfter = properties.disableAfter();
        this.openFor = properties.breaker().openFor();
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
     * in batches, each endpoint's health once); returns the endpoints it disabled.
     */
    @Transactional
    Set<String> settleAll(List<Finished> finished) {
        Instant now = Instant.now();
        queue.logAttempts(finished);
        List<ClaimedDelivery> delivered = new ArrayList<>();
        List<ClaimedDelivery> dead = new ArrayList<>();
        List<DeliveryQueue.Retry> retries = new ArrayList<>();
        for (Finished attempt : finished) {
            ClaimedDelivery delivery = attempt.delivery();
            if (attempt.result().succeeded()) {
                delivered.add(delivery);
                latency.record(Duration.between(delivery.createdAt(), now));
            } else if (delivery.attempt() >= delivery.attemptLimit()) {
                dead.add(delivery);
            } else {
                retries.add(new DeliveryQueue.Retry(delivery, now.plus(backoffAfter(delivery.attempt()))));
            }
        }
        queue.delivered(delivered, now);
        queue.retry(retries);
        queue.failed(dead, RETRIES_EXHAUSTED, now);
        meters.counter("switchboard.webhooks.deliveries.completed", "status", "delivered").increment(delivered.size());
        meters.counter("switchboard.webhooks.deliveries.completed", "status", "failed").increment(dead.size());
        Collection<EndpointHealthStore.Attempts> byEndpoint = byEndpoint(finished, now);
        health.recordAttempts(byEndpoint, now);
        Map<String, String> appOf = new HashMap<>();
        finished.forEach(attempt -> appOf.put(attempt.delivery().endpointId(), attempt.delivery().appId()));
        Set<String> disabled = new HashSet<>();
        for (EndpointHealthStore.Attempts attempts : byEndpoint) {
            if (attempts.failures() > 0 && disableIfFailingTooLong(appOf.get(attempts.endpointId()),
                    attempts.endpointId(), now)) {
                disabled.add(attempts.endpointId());
            }
        }
        return disabled;
    }

    /**
     * What the batch says of each endpoint (sorted by endpoint id: the order rows are locked in),
     * its attempts taken in the order they finished: a success starts the count of failures afresh
     * and closes a circuit opened before it.
     */
    private Collection<EndpointHealthStore.Attempts> byEndpoint(List<Finished> finished, Instant now) {
        Map<String, EndpointHealthStore.Attempts> byEndpoint = new TreeMap<>();
        for (Finished attempt : finished) {
            String endpointId = attempt.delivery().endpointId();
            EndpointHealthStore.Attempts before = byEndpoint.get(endpointId);
            Instant lastAttemptAt = before == null || attempt.startedAt().isAfter(before.lastAttemptAt())
                    ? attempt.startedAt() : before.lastAttemptAt();
            EndpointHealth.LastError lastError = before == null ? null : before.lastError();
            EndpointHealthStore.Attempts after;
            if (attempt.result().succeeded()) {
                after = new EndpointHealthStore.Attempts(endpointId, true, 0, lastAttemptAt, lastError, null);
            } else {
                AttemptResult result = attempt.result();
                lastError = new EndpointHealth.LastError(attempt.startedAt(), result.outcome().wireName(),
                        result.statusCode() == 0 ? null : result.statusCode(), result.detail());
                Instant openUntil = attempt.openedCircuit() ? now.plus(openFor)
                        : before == null ? null : before.circuitOpenUntil();
                after = new EndpointHealthStore.Attempts(endpointId, before != null && before.afterSuccess(),
                        (before == null ? 0 : before.failures()) + 1, lastAttemptAt, lastError, openUntil);
            }
            byEndpoint.put(endpointId, after);
        }
        return byEndpoint.values();
    }

    /** Disables an endpoint that has been failing for {@code disable-after}; true if this did. */
    private boolean disableIfFailingTooLong(String appId, String endpointId, Instant now) {
        if (!endpoints.disableIfFailingSince(endpointId, now.minus(disableAfter), now)) {
            return false;
        }
        int dropped = queue.failPending(endpointId, ENDPOINT_DISABLED, now);
        log.warn("Webhook endpoint {} of app {} disabled: every attempt failed for {}; {} pending deliveries dead-lettered",
                endpointId, appId, disableAfter, dropped);
        meters.counter("switchboard.webhooks.endpoints.disabled").increment();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpointId", endpointId);
        data.put("reason", "failing");
        data.put("failingFor", disableAfter.toString());
        data.put("deadLettered", dropped);
        recorder.record(List.of(WebhookEvent.of("webhook.endpoint.disabled:" + endpointId + ":" + now.toEpochMilli(),
                appId, WebhookEventType.ENDPOINT_DISABLED, now, data)));
        return true;
    }
}
