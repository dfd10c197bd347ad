package io.switchboard.message.routing;

import io.switchboard.events.integration.BusinessEvent;

import java.util.List;

/** User ids an event names in a field: {@code actor}, {@code concerns} or {@code payload.<key>} (a string or a list). */
final class EventFields {

    private EventFields() {
    }

    static List<String> userIds(BusinessEvent event, String field) {
        Object value = switch (field) {
            case "actor" -> event.getActor();
            case "concerns" -> event.getConcerns();
            default -> event.getPayload().get(field.substring("payload.".length()));
        };
        if (value instanceof String id) {
            return id.isBlank() ? List.of() : List.of(id);
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).filter(id -> !id.isBlank())
                    .distinct().toList();
        }
        return List.of();
    }
}
