package io.switchboard.push.gateway;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.push.PushProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads what a resuming session missed from message-service, which owns messages and their
 * change seqs. This is synchronous HTTP between services on purpose: history is message-service's,
 * a copy here would be a second store of every message to keep in step, and the call happens only
 * when a client resumes or fills a gap. It is made with the session's own token, so the client
 * reads exactly what it may read. Timeouts bound each call, and a circuit breaker answers at once
 * while message-service is down instead of letting every reconnecting client wait for a timeout.
 *
 * <p>An outage is logged when the breaker opens and when it closes again, not once per call: with
 * every client of a gateway resuming every few seconds, a line per failed resume wrote some
 * 700,000 lines (450 MB) in one chaos run. Each failed read is counted instead
 * ({@code switchboard_push_history_unavailable_total}, tagged {@code reason}).
 *
 * <p>At most {@code history-concurrency} reads are in flight per gateway. When a gateway restarts,
 * all its clients resume at once; unbounded, their reads overran message-service, most timed out,
 * the breaker opened, the clients resumed again, and on a small machine the storm kept itself
 * going until the load stopped. Bounded, the reads that are made are answered in time and the
 * rest are told to try again a little later.
 */
@Component
class MessageHistory {

    /** message-service did not answer usefully (down, slow, 5xx): the client should try again later. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** message-service refused the request (4xx): {@code status} says why. */
    static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status) {
            super("refused with " + status);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MessageHistory.class);
    /** How long a read waits for one of the gateway's history slots before the client is told to try later. */
    private static final Duration SLOT_WAIT = Duration.ofSeconds(1);
    /** How long the open breaker answers without asking before it lets a few reads try again. */
    private static final Duration OPEN_WAIT = Duration.ofSeconds(5);

    private final RestClient http;
    private final JsonMapper json;
    private final CircuitBreaker breaker;
    private final Bulkhead slots;
    private final Counter breakerOpen;
    private final Counter noAnswer;
    private final Counter busy;

    @Autowired
    MessageHistory(PushProperties properties, JsonMapper json, MeterRegistry meters) {
        this(properties.messageServiceUrl(), properties.messageServiceTimeout(), properties.historyConcurrency(),
                SLOT_WAIT, json, meters);
    }

    MessageHistory(String messageServiceUrl, Duration timeout, int concurrency, Duration slotWait, JsonMapper json,
                   MeterRegistry meters) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(timeout).build());
        requests.setReadTimeout(timeout);
        this.http = RestClient.builder().baseUrl(messageServiceUrl).requestFactory(requests).build();
        this.json = json;
        this.breaker = CircuitBreaker.of("message-service", CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(OPEN_WAIT)
                .ignoreExceptions(Refused.class)
                .build());
        this.slots = Bulkhead.of("message-service-history", BulkheadConfig.custom()
                .maxConcurrentCalls(concurrency)
                .maxWaitDuration(slotWait)
                .build());
        // one warning when an outage starts and one line when it ends; the probes in between
        // (half-open, open again every few seconds) only at debug
        breaker.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition()) {
                case CLOSED_TO_OPEN -> log.warn("History reads from message-service fail ({}% of the last calls): "
                        + "resumes and fetches answer resume-unavailable, asking again every {} s",
                        Math.round(breaker.getMetrics().getFailureRate()), OPEN_WAIT.toSeconds());
                case HALF_OPEN_TO_CLOSED -> log.info("message-service answers history reads again");
                default -> log.debug("History circuit: {}", event.getStateTransition());
            }
        });
        this.breakerOpen = unavailable(meters, "breaker-open");
        this.noAnswer = unavailable(meters, "no-answer");
        this.busy = unavailable(meters, "busy");
    }

    private static Counter unavailable(MeterRegistry meters, String reason) {
        return Counter.builder("switchboard.push.history.unavailable")
                .description("History reads for resumes and fetches that message-service did not answer (no-answer), "
                        + "that the open circuit breaker did not ask (breaker-open), or that found no free slot (busy)")
                .tag("reason", reason).register(meters);
    }

    /** {@code POST /v1/me/sync}: the user's conversations with news since the given change seqs. */
    JsonNode sync(String token, Map<String, Long> knownChangeSeqs, int limit) {
        return call(() -> http.post().uri("/v1/me/sync")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsString(Map.of("conversations", knownChangeSeqs, "limit", limit)))
                .retrieve().body(String.class));
    }

    /** {@code GET /v1/conversations/{id}/changes}: one conversation's changes after a change seq. */
    JsonNode changes(String token, String conversationId, long afterChangeSeq, int limit) {
        return call(() -> http.get()
                .uri("/v1/conversations/{id}/changes?afterChangeSeq={after}&limit={limit}", conversationId,
                        afterChangeSeq, limit)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .retrieve().body(String.class));
    }

    private JsonNode call(Supplier<String> request) {
        // the slot is taken before the breaker is asked: a read turned away for want of a slot says
        // nothing about message-service's health
        Supplier<String> guarded = Bulkhead.decorateSupplier(slots, breaker.decorateSupplier(() -> {
            try {
                return request.get();
            } catch (HttpClientErrorException e) {
                throw new Refused(e.getStatusCode().value());
            }
        }));
        try {
            return json.readTree(guarded.get());
        } catch (BulkheadFullException e) {
            busy.increment();
            throw new Unavailable("every history slot of this gateway is busy", e);
        } catch (CallNotPermittedException e) {
            breakerOpen.increment();
            throw new Unavailable("message-service is failing; not asked", e);
        } catch (RestClientException e) {
            noAnswer.increment();
            log.debug("A history read failed: {}", e.getClass().getSimpleName());
            throw new Unavailable("message-service did not answer: " + e.getClass().getSimpleName(), e);
        }
    }
}
