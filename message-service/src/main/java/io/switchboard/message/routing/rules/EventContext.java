package io.switchboard.message.routing.rules;

import io.switchboard.events.integration.BusinessEvent;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
        return forTemplates(event, userId -> null);
    }

    /**
     * Like {@link #forTemplates(BusinessEvent)}, with the people the event names as users:
     * {@code {{actor}}} and each of {@code {{#concerns}}{{.}}{{/concerns}}} still render the id, and
     * {@code {{actor.displayName}}} the name their profile gives (the id when it gives none).
     *
     * @param displayNames a user id's display name in the event's app, or null when unknown
     */
    public static Map<String, Object> forTemplates(BusinessEvent event, Function<String, String> displayNames) {
        Map<String, Object> context = common(event);
        context.put("actor", event.getActor() == null ? null : new Person(event.getActor(), displayNames.apply(event.getActor())));
        context.put("concerns", event.getConcerns().stream()
                .map(userId -> (Object) new Person(userId, displayNames.apply(userId))).toList());
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

    /**
     * A user an event names, for templates: a map of {@code id} and {@code displayName} (the id when
     * the profile has none) that prints as its id, so {@code {{actor}}} renders what it always did.
     */
    static final class Person extends AbstractMap<String, Object> {
        private final String id;
        private final Map<String, Object> fields;

        Person(String id, String displayName) {
            this.id = id;
            this.fields = Map.of("id", id, "displayName", displayName == null || displayName.isBlank() ? id : displayName);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return fields.entrySet();
        }

        @Override
        public Object get(Object key) {
            return fields.get(key);
        }

        @Override
        public String toString() {
            return id;
        }
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
