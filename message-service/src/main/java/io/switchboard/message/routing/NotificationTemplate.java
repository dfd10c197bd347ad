package io.switchboard.message.routing;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.switchboard.events.integration.BusinessEvent;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A logic-less Mustache template rendered against a business event. Chat text is plain text, not
 * HTML: clients render it as text, so nothing is HTML-escaped here; missing values render empty.
 */
final class NotificationTemplate {

    private static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false).defaultValue("");

    private final Template template;

    NotificationTemplate(String source) {
        this.template = COMPILER.compile(source);
    }

    String render(BusinessEvent event) {
        return template.execute(context(event)).strip();
    }

    /** The names a template can use. */
    static Map<String, Object> context(BusinessEvent event) {
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
        context.put("occurredAt", event.getOccurredAt().toString());
        context.put("entity", entity);
        context.put("actor", event.getActor());
        context.put("concerns", event.getConcerns());
        context.put("payload", new HashMap<>(event.getPayload()));
        return context;
    }
}
