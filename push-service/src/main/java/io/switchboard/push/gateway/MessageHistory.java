package io.switchboard.push.gateway;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.switchboard.push.PushProperties;
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

    private final RestClient http;
    private final JsonMapper json;
    private final CircuitBreaker breaker;

    MessageHistory(PushProperties properties, JsonMapper json) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(properties.messageServiceTimeout()).build());
        requests.setReadTimeout(properties.messageServiceTimeout());
        this.http = RestClient.builder().baseUrl(properties.messageServiceUrl()).requestFactory(requests).build();
        this.json = json;
        this.breaker = CircuitBreaker.of("message-service", CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .ignoreExceptions(Refused.class)
                .build());
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
        try {
            return json.readTree(breaker.executeSupplier(() -> {
                try {
                    return request.get();
                } catch (HttpClientErrorException e) {
                    throw new Refused(e.getStatusCode().value());
                }
            }));
        } catch (CallNotPermittedException e) {
            throw new Unavailable("message-service is failing; not asked", e);
        } catch (RestClientException e) {
            throw new Unavailable("message-service did not answer: " + e.getClass().getSimpleName(), e);
        }
    }
}
