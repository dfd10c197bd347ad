package io.switchboard.message.routing.rules;

import io.switchboard.events.integration.BusinessEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What rules see of a business event. Templates and conditions use the same names: {@code eventId},
 * {@code source}, {@code eventType}, {@code occurredAt}, {@code entity.type|id|displayName|url},
 * {@code actor}, {@code concerns} and {@code payload}. Only maps, lists, strings, numbers and
 * booleans are exposed, so neither language can reach a Java object.
 */
public final class EventContext {

    private EventContext() {
    }

    /**
     * The names templates render from. Payload keys are flattened with dots by producers
     * ({@code customer.name}); here they are also nested, so {@code {{payload.customer.name}}} works.
     */
    public static Map<String, Object> forTemplates(BusinessEvent event) {
        Map<String, Object> context = common(event);
        context.put("occurredAt", event.getOccurredAt().toString());
        context.put("payload", nested(plain(event.getPayload())));
        return context;
    }

    /** The variables conditions evaluate over: {@code payload} keeps its flat keys ({@code payload['customer.name']}). */
    static Map<String, Object> forConditions(BusinessEvent event) {
        Map<String, Object> variables = common(event);
        variables.put("occurredAt", com.google.protobuf.Timestamp.newBuilder()
                .setSeconds(event.getOccurredAt().getEpochSecond()).setNanos(event.getOccurredAt().getNano()).build());
        variables.put("payload", plain(event.getPayload()));
        return variables;
    }

    private static Map<String, Object> common(BusinessEvent event) {
        Map<String, Object> entity = new HashMap<>();
        entity.put("type", event.getEntity().getType());
        entity.put("id", event.getEntity().getId());
        entity.put("displayName", event.getEntity().getDisplayName());
        entity.put("url", event.getEntity().getUrl());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("eventId", event.getEventId());
        context.put("appId", event.getAppId());
        context.put("source", event.getSource());
        context.put("eventType", event.getEventType());
        context.put("entity", entity);
        context.put("actor", event.getActor());
        context.put("concerns", List.copyOf(event.getConcerns()));
        return context;
    }

    /** Avro's payload as plain Java values (its arrays are Avro classes). */
    private static Map<String, Object> plain(Map<String, Object> payload) {
        Map<String, Object> plain = new HashMap<>();
        payload.forEach((key, value) -> plain.put(key, value instanceof List<?> list ? new ArrayList<>(list) : value));
        return plain;
    }

    /** {@code a.b = 1} becomes {@code a: {b: 1}}; a key that is both a value and a prefix keeps its value. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Map<String, Object> flat) {
        Map<String, Object> root = new HashMap<>();
        flat.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            String[] parts = entry.getKey().split("\\.");
            Map<String, Object> node = root;
            for (int i = 0; i < parts.length - 1 && node != null; i++) {
                Object child = node.computeIfAbsent(parts[i], k -> new HashMap<String, Object>());
                node = child instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
            }
            if (node != null) {
                node.putIfAbsent(parts[parts.length - 1], entry.getValue());
            }
        });
        return root;
    }
}
