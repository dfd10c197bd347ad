package io.switchboard.message.ingest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.message.ingest.IntegrationEventsPublisher.Outcome;
import io.switchboard.message.ingest.IntegrationEventsPublisher.PublishedEvent;
import io.switchboard.platform.problems.Problems;
import io.switchboard.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Business events over HTTP, for upstream systems that cannot produce to Kafka: an app token with
 * scope {@code events:ingest} posts the event as JSON, and it goes onto {@code integration.events}
 * as the same {@code BusinessEvent} a Kafka producer would write, for the token's app. The eventId
 * is the idempotency key (no {@code Idempotency-Key} header): re-posting an event publishes it
 * again, and routing ignores the repeat.
 */
@RestController
@ApiResponse(responseCode = "503", description = "The event could not be published in time (event-log-unavailable); "
        + "retry with the same eventId after Retry-After seconds",
        headers = @Header(name = HttpHeaders.RETRY_AFTER, schema = @Schema(type = "integer")),
        content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                schema = @Schema(ref = "#/components/schemas/Problem")))
class EventsController {

    private static final String ONLY_APPS = "Only an app token publishes events";

    private final PostedEventRules rules;
    private final IntegrationEventsPublisher publisher;
    private final IngestProperties properties;

    EventsController(PostedEventRules rules, IntegrationEventsPublisher publisher, IngestProperties properties) {
        this.rules = rules;
        this.publisher = publisher;
        this.properties = properties;
    }

    record EventBatch(@NotNull @Size(min = 1, max = 100) List<@NotNull @Valid EventRequest> events) {
    }

    /** Per event: 202 with where it was published, or 503 with a problem (retry that event). */
    record BatchItemResult(int status, PublishedEvent event, ProblemDetail problem) {
    }

    record BatchResponse(List<BatchItemResult> results) {
    }

    @Operation(summary = "Publish a business event",
            description = "Answers 202 once the broker has acknowledged the event on integration.events (key: eventId). "
                    + "The app is the token's; an appId naming another app is refused with 403. Limits: eventId up to "
                    + "200 printable ASCII characters, payload up to 200 keys and 64 KB of JSON after flattening.")
    @PostMapping("/v1/events")
    @PreAuthorize("hasAuthority('SCOPE_events:ingest')")
    @ResponseStatus(HttpStatus.ACCEPTED)
    PublishedEvent publish(@Valid @RequestBody EventRequest request, Authentication authentication) {
        String appId = Caller.of(authentication).requireApp(ONLY_APPS);
        BusinessEvent event = rules.toBusinessEvents(appId, List.of(request), List.of("")).getFirst();
        return publisher.publish(event);
    }

    @Operation(summary = "Publish up to 100 business events",
            description = "Validated as a whole: one invalid event refuses the batch (400, errors name events[i]) and "
                    + "nothing is published. Then each event is published in request order with its own outcome: "
                    + "202 with its partition and offset, or 503 (retry that event).")
    @PostMapping("/v1/events/batch")
    @PreAuthorize("hasAuthority('SCOPE_events:ingest')")
    ResponseEntity<BatchResponse> publishBatch(@Valid @RequestBody EventBatch batch, Authentication authentication) {
        String appId = Caller.of(authentication).requireApp(ONLY_APPS);
        List<String> fieldPrefixes = IntStream.range(0, batch.events().size()).mapToObj(i -> "events[" + i + "].").toList();
        List<Outcome> outcomes = publisher.publishAll(rules.toBusinessEvents(appId, batch.events(), fieldPrefixes));
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (outcomes.stream().anyMatch(outcome -> outcome.failure() != null)) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds());
        }
        return response.body(new BatchResponse(outcomes.stream().map(EventsController::result).toList()));
    }

    @ExceptionHandler(InvalidEventException.class)
    ResponseEntity<ProblemDetail> invalidEvent(InvalidEventException e) {
        ProblemDetail problem = Problems.of(e.errorCode(), e.getMessage());
        problem.setProperty("errors", e.errors());
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(EventLogUnavailableException.class)
    ResponseEntity<ProblemDetail> eventLogUnavailable(EventLogUnavailableException e) {
        ProblemDetail problem = Problems.of(e.errorCode(), e.getMessage());
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds()).body(problem);
    }

    private String retryAfterSeconds() {
        return Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
    }

    private static BatchItemResult result(Outcome outcome) {
        return outcome.failure() == null
                ? new BatchItemResult(HttpStatus.ACCEPTED.value(), outcome.published(), null)
                : new BatchItemResult(outcome.failure().errorCode().status().value(), null,
                        Problems.of(outcome.failure().errorCode(), outcome.failure().getMessage()));
    }
}
