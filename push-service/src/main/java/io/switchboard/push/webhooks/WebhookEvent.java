package io.switchboard.push.webhooks;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened that an app's endpoints may hear of. Its body on the wire:
 * {@code {"id", "type", "appId", "occurredAt", "data"}}.
 *
 * @param eventId        stable for the same happening, however often it is read: with the endpoint
 *                       it identifies the delivery, so reading an event twice delivers it once
 * @param occurredAt     when it happened; an endpoint hears only of what happened after it was registered
 * @param conversationId for message events: the conversation, whose membership decides which
 *                       endpoints (by their bot user) hear of it; otherwise null
 * @param senderId       for message events: who sent the message (an endpoint does not hear of its
 *                       own bot's messages); otherwise null
 * @param data           the event's fields, serialized as JSON
 */
public record WebhookEvent(String eventId, String appId, WebhookEventType type, Instant occurredAt,
                           String conversationId, String senderId, Map<String, Object> data) {

    /** An event not tied to a conversation's membership. */
    public static WebhookEvent of(String eventId, String appId, WebhookEventType type, Instant occurredAt,
                                  Map<String, Object> data) {
        return new WebhookEvent(eventId, appId, type, occurredAt, null, null, data);
    }
}
