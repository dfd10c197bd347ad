package io.switchboard.push.webhooks.delivery;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.push.webhooks.WebhookProperties;

import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Each endpoint's circuit breaker and bulkhead (resilience4j), keyed by endpoint id. The bulkhead
 * bounds the attempts in flight to one endpoint, so a slow or hanging one holds only its own
 * turns; the breaker stops attempts to an endpoint that keeps failing and lets one trial through
 * after {@code open-for}. The dispatcher does not even claim deliveries of an endpoint that is
 * {@link #blocked()}, so they wait in the queue without counting attempts.
 */
class EndpointGuards {

    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;
    private final int maxConcurrent;

    EndpointGuards(WebhookProperties properties, MeterRegistry meters) {
        WebhookProperties.Breaker breaker = properties.breaker();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.window())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRatePercent())
                .waitDurationInOpenState(breaker.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        this.maxConcurrent = properties.maxConcurrentPerEndpoint();
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent).maxWaitDuration(Duration.ZERO).build());
        breakers.getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
                .onStateTransition(event -> meters.counter("switchboard.webhooks.breaker.transitions",
                        "to", event.getStateTransition().getToState().name().toLowerCase(Locale.ROOT)).increment()));
    }

    CircuitBreaker breaker(String endpointId) {
        return breakers.circuitBreaker(endpointId);
    }

    Bulkhead bulkhead(String endpointId) {
        return bulkheads.bulkhead(endpointId);
    }

    /**
     * Endpoints whose deliveries must not be claimed now: breaker open, a half-open trial already
     * in flight, or every bulkhead turn taken.
     */
    Set<String> blocked() {
        Set<String> blocked = new HashSet<>();
        breakers.getAllCircuitBreakers().forEach(breaker -> {
            CircuitBreaker.State state = breaker.getState();
            boolean trialInFlight = state == CircuitBreaker.State.HALF_OPEN && inFlight(breaker.getName()) > 0;
            if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN || trialInFlight) {
                blocked.add(breaker.getName());
            }
        });
        bulkheads.getAllBulkheads().forEach(bulkhead -> {
            if (bulkhead.getMetrics().getAvailableConcurrentCalls() == 0) {
                blocked.add(bulkhead.getName());
            }
        });
        return blocked;
    }

    /** Attempts the endpoint's bulkhead lets start now. */
    int available(String endpointId) {
        return bulkhead(endpointId).getMetrics().getAvailableConcurrentCalls();
    }

    /** Attempts in flight to the endpoint. */
    int inFlight(String endpointId) {
        return bulkheads.find(endpointId).map(b -> maxConcurrent - b.getMetrics().getAvailableConcurrentCalls()).orElse(0);
    }

    void recordSuccess(String endpointId, Duration took) {
        breaker(endpointId).onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records a failed attempt; true if it opened the breaker (from closed, or a failed half-open trial). */
    boolean recordFailure(String endpointId, Duration took, String why) {
        CircuitBreaker breaker = breaker(endpointId);
        boolean wasOpen = breaker.getState() == CircuitBreaker.State.OPEN;
        breaker.onError(took.toNanos(), TimeUnit.NANOSECONDS, new AttemptFailed(why));
        return !wasOpen && breaker.getState() == CircuitBreaker.State.OPEN;
    }

    /** Forgets a disabled or deleted endpoint. */
    void forget(String endpointId) {
        breakers.remove(endpointId);
        bulkheads.remove(endpointId);
    }

    /** What a failed attempt tells the breaker (no stack trace: it is an outcome, not a bug). */
    static final class AttemptFailed extends RuntimeException {
        AttemptFailed(String why) {
            super(why, null, false, false);
        }
    }
}
