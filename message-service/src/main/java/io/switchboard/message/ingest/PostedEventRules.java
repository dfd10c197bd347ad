package io.switchboard.message.ingest;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.message.WebLinks;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules a posted event must follow beyond its field annotations, and its translation into the
 * {@link BusinessEvent} an upstream Kafka producer would have written. The event belongs to the
 * caller's app: an {@code appId} in the body that names another app is refused with 403, so a
 * token can never publish for another tenant.
 */
@Component
public class PostedEventRules {

    /** Instants beyond four-digit years are mistakes, and far ones do not fit Avro's timestamp-millis. */
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private final PayloadLimits limits;
    private final JsonMapper json;

    PostedEventRules(PayloadLimits limits, JsonMapper json) {
        this.limits = limits;
        this.json = json;
    }

    /**
     * The events of one request, in order, as the caller's app publishes them.
     *
     * @param fieldPrefixes per event, how its fields are named in errors ({@code ""}, {@code events[3].})
     * @throws InvalidEventException listing every broken rule of every event; nothing is published then
     * @throws ApiException          {@code forbidden} when an event names another app
     */
    List<BusinessEvent> toBusinessEvents(String appId, List<EventRequest> requests, List<String> fieldPrefixes) {
        List<InvalidEventException.FieldError> errors = new ArrayList<>();
        List<BusinessEvent> events = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            events.add(toBusinessEvent(appId, requests.get(i), fieldPrefixes.get(i), errors));
        }
        if (!errors.isEmpty()) {
            throw new InvalidEventException(errors);
        }
        return events;
    }

    /** One posted event as its app would publish it (a dry run of routing uses this too). */
    public BusinessEvent toBusinessEvent(String appId, EventRequest request, String fieldPrefix) {
        return toBusinessEvents(appId, List.of(request), List.of(fieldPrefix)).getFirst();
    }

    private BusinessEvent toBusinessEvent(String appId, EventRequest request, String fieldPrefix,
                                          List<InvalidEventException.FieldError> errors) {
        if (request.appId() != null && !request.appId().equals(appId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "An app token publishes events for its own app only; "
                    + "leave appId out or give the token's app");
        }
        Instant occurredAt = instant(request.occurredAt(), fieldPrefix + "occurredAt", errors);
        if (request.entity().url() != null && !WebLinks.isWebLink(request.entity().url())) {
            errors.add(new InvalidEventException.FieldError(fieldPrefix + "entity.url", "must be an absolute http or https URL"));
        }
        Map<String, Object> payload = PayloadFlattening.flatten(request.payloadOrEmpty(), fieldPrefix + "payload.", errors);
        checkPayloadLimits(payload, fieldPrefix + "payload", errors);
        return BusinessEvent.newBuilder()
                .setEventId(request.eventId())
                .setAppId(appId)
                .setSource(request.source())
                .setEventType(request.eventType())
                .setOccurredAt(occurredAt)
                .setEntity(BusinessEntity.newBuilder()
                        .setType(request.entity().type())
                        .setId(request.entity().id())
                        .setDisplayName(request.entity().displayName())
                        .setUrl(request.entity().url())
                        .build())
                .setActor(request.actor())
                .setConcerns(request.concernsOrEmpty())
                .setPayload(payload)
                .build();
    }

    /** Avro keeps milliseconds: finer digits are dropped, not refused. */
    private static Instant instant(String text, String field, List<InvalidEventException.FieldError> errors) {
        try {
            Instant instant = Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                errors.add(new InvalidEventException.FieldError(field, "must be within the years 0000 to 9999"));
            }
            return instant;
        } catch (DateTimeParseException e) {
            errors.add(new InvalidEventException.FieldError(field,
                    "must be an ISO-8601 instant with an offset, e.g. 2026-11-27T10:15:30Z or 2026-11-27T11:15:30+01:00"));
            return Instant.EPOCH;
        }
    }

    private void checkPayloadLimits(Map<String, Object> payload, String field,
                                    List<InvalidEventException.FieldError> errors) {
        for (PayloadLimits.Violation violation : limits.violations(payload, json)) {
            errors.add(new InvalidEventException.FieldError(violation.key() == null ? field : field + "." + violation.key(),
                    violation.message()));
        }
    }
}
