package io.switchboard.message.ingest;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One helpdesk event as an upstream system writes it in JSON (HTTP body, Node producer input) and
 * the {@link BusinessEvent} it must become. No route matches it, so routing leaves it alone.
 */
public final class PostedEvents {

    private PostedEvents() {
    }

    /** Every kind of payload value, a nested object, and an instant with an offset and microseconds. */
    public static Map<String, Object> ticketEscalated(String eventId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("priority", 2);
        payload.put("score", 0.75);
        payload.put("vip", true);
        payload.put("closedAt", null);
        payload.put("tags", List.of("printer", "fire"));
        payload.put("customer", Map.of("name", "ACME", "address", Map.of("city", "Lyon")));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("source", "helpdesk");
        event.put("eventType", "ticket.escalated");
        event.put("occurredAt", "2026-11-27T10:15:30.250123+01:00");
        event.put("entity", Map.of("type", "ticket", "id", "T-7", "displayName", "Printer on fire",
                "url", "https://helpdesk.example/tickets/7"));
        event.put("actor", "carol");
        event.put("concerns", List.of("alice", "bob"));
        event.put("payload", payload);
        return event;
    }

    /** What {@link #ticketEscalated} is on the topic: the app's, in milliseconds, payload flattened and typed. */
    public static BusinessEvent ticketEscalatedAsPublished(String eventId, String appId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("priority", 2L);
        payload.put("score", 0.75);
        payload.put("vip", true);
        payload.put("closedAt", null);
        payload.put("tags", List.of("printer", "fire"));
        payload.put("customer.name", "ACME");
        payload.put("customer.address.city", "Lyon");
        return BusinessEvent.newBuilder()
                .setEventId(eventId)
                .setAppId(appId)
                .setSource("helpdesk")
                .setEventType("ticket.escalated")
                .setOccurredAt(Instant.parse("2026-11-27T09:15:30.250Z"))
                .setEntity(BusinessEntity.newBuilder().setType("ticket").setId("T-7").setDisplayName("Printer on fire")
                        .setUrl("https://helpdesk.example/tickets/7").build())
                .setActor("carol")
                .setConcerns(List.of("alice", "bob"))
                .setPayload(payload)
                .build();
    }

    /** {@code event} with one field set (or replaced). */
    public static Map<String, Object> withField(Map<String, Object> event, String field, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(event);
        changed.put(field, value);
        return changed;
    }
}
