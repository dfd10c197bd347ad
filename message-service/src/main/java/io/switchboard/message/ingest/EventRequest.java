package io.switchboard.message.ingest;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;

/**
 * A business event posted over HTTP: the fields of the {@code BusinessEvent} Avro record in JSON,
 * with {@code occurredAt} as an ISO-8601 instant. What the annotations cannot say (the instant,
 * the url, the payload's types and limits, the app) {@link PostedEventRules} checks.
 *
 * @param appId optional; the app comes from the token, and a different appId is refused
 */
public record EventRequest(
        @NotBlank @Size(max = 200) @Pattern(regexp = "\\p{Graph}+", message = "must be printable ASCII without spaces")
        @Schema(description = "The idempotency key: a re-posted eventId yields no second notification")
        String eventId,
        @Size(max = 128) String appId,
        @NotBlank @Size(max = 100) @Schema(example = "crm") String source,
        @NotBlank @Size(max = 200) @Schema(example = "deal.won") String eventType,
        @NotBlank @Schema(description = "ISO-8601 instant with an offset; milliseconds are kept",
                example = "2026-11-27T10:15:30.250Z") String occurredAt,
        @NotNull @Valid Entity entity,
        @Size(min = 1, max = 160) String actor,
        @Size(max = 100) List<@NotBlank @Size(max = 160) String> concerns,
        @Schema(description = "Values: null, boolean, integer, number, string or array of strings; nested objects "
                + "are flattened into dotted keys ({\"customer\": {\"name\": \"ACME\"}} becomes customer.name)")
        Map<String, Object> payload) {

    /** The business object the event is about. */
    public record Entity(@NotBlank @Size(max = 100) @Schema(example = "deal") String type,
                  @NotBlank @Size(max = 200) String id,
                  @Size(max = 500) String displayName,
                  @Size(max = 2000) @Schema(description = "Absolute http(s) link to the object") String url) {
    }

    List<String> concernsOrEmpty() {
        return concerns == null ? List.of() : concerns;
    }

    Map<String, Object> payloadOrEmpty() {
        return payload == null ? Map.of() : payload;
    }
}
