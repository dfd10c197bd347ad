package io.switchboard.push.webhooks.events;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.EventOrigin;
import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.presence.PresenceSession;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.events.push.NotificationOutcome;
import io.switchboard.events.push.NotificationResult;
import io.switchboard.events.push.RecipientOutcome;
import io.switchboard.push.MemberChanges;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.WebhookEventType;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The webhook events of records on the topics push-service follows: what each one tells an app.
 * Event ids are stable per record, so a record read twice yields the same event.
 */
final class SourceEvents {

    private static final Map<ChatEventType, WebhookEventType> MESSAGE_TYPES = Map.of(
            ChatEventType.MESSAGE_CREATED, WebhookEventType.MESSAGE_CREATED,
            ChatEventType.MESSAGE_EDITED, WebhookEventType.MESSAGE_EDITED,
            ChatEventType.MESSAGE_RECALLED, WebhookEventType.MESSAGE_RECALLED);

    private final JsonMapper json;

    SourceEvents(JsonMapper json) {
        this.json = json;
    }

    /** {@code message.created|edited|recalled}: the message as it is after the change. */
    Optional<WebhookEvent> message(ChatMessageEvent event) {
        WebhookEventType type = MESSAGE_TYPES.get(event.getType());
        ChatMessage message = event.getMessage();
        if (type == null || message == null) {
            return Optional.empty();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversationId", event.getConversationId());
        data.put("seq", event.getSeq());
        data.put("changeSeq", event.getChangeSeq());
        data.put("actorId", event.getActorId());
        data.put("message", message(message));
        return Optional.of(new WebhookEvent(event.getEventId(), event.getAppId(), type, event.getOccurredAt(),
                event.getConversationId(), message.getSenderId(), data));
    }

    /**
     * {@code membership.changed}: what changed ({@code change}: {@code joined}, {@code left},
     * {@code role-changed}, {@code muted}, {@code unmuted}, {@code updated}; null for a record
     * published before membership-service said) and the member's state after it
     * ({@code isMember: false} once removed), ordered per conversation by {@code conversationVersion}.
     *
     * @param key    the record key {@code <appId>/<conversationId>/<userId>} (all a removal carries)
     * @param member the member, or null for a removal (tombstone)
     */
    Optional<WebhookEvent> membership(String key, ConversationMember member, String recordId, Instant recordedAt) {
        String[] parts = key == null ? new String[0] : key.split("/", 3);
        if (member == null && parts.length != 3) {
            return Optional.empty();
        }
        String appId = member != null ? member.getAppId() : parts[0];
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversationId", member != null ? member.getConversationId() : parts[1]);
        data.put("userId", member != null ? member.getUserId() : parts[2]);
        data.put("change", MemberChanges.of(member));
        data.put("isMember", member != null);
        data.put("role", member == null ? null : member.getRole().name());
        data.put("mutedUntil", member == null || member.getMutedUntil() == null ? null : member.getMutedUntil().toString());
        data.put("joinedAt", member == null ? null : member.getJoinedAt().toString());
        data.put("conversationVersion", member == null ? null : member.getConversationVersion());
        return Optional.of(WebhookEvent.of("membership:" + recordId, appId, WebhookEventType.MEMBERSHIP_CHANGED,
                recordedAt, data));
    }

    /**
     * {@code notification.delivered} or {@code notification.failed} per recipient of an outcome
     * record. The event id is {@code <type>:<chat eventId>:<userId>}: a record reported again (a
     * stage read its source again) yields the same events, and a recipient with sessions on several
     * gateways is told of one delivery and at most one failure.
     */
    List<WebhookEvent> notification(NotificationOutcome outcome) {
        return outcome.getRecipients().stream().map(recipient -> notification(outcome, recipient)).toList();
    }

    private static WebhookEvent notification(NotificationOutcome outcome, RecipientOutcome recipient) {
        boolean delivered = recipient.getStatus() == NotificationResult.DELIVERED;
        WebhookEventType type = delivered ? WebhookEventType.NOTIFICATION_DELIVERED : WebhookEventType.NOTIFICATION_FAILED;
        EventOrigin origin = outcome.getOrigin();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversationId", outcome.getConversationId());
        data.put("seq", outcome.getSeq());
        data.put("messageId", outcome.getMessageId());
        data.put("userId", recipient.getUserId());
        if (delivered) {
            data.put("devices", recipient.getDevices());
        } else {
            data.put("reason", recipient.getStatus() == NotificationResult.OFFLINE ? "offline" : "connection-lost");
        }
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("eventId", origin.getEventId());
        from.put("source", origin.getSource());
        from.put("eventType", origin.getEventType());
        from.put("routeId", origin.getRouteId());
        data.put("origin", from);
        return WebhookEvent.of(type.wireName() + ":" + outcome.getEventId() + ":" + recipient.getUserId(),
                outcome.getAppId(), type, outcome.getOccurredAt(), data);
    }

    /** {@code presence.changed}: whether the user is online now, on how many devices. */
    WebhookEvent presence(PresenceState state) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("userId", state.getUserId());
        data.put("online", !state.getSessions().isEmpty());
        data.put("devices", state.getSessions().stream().map(PresenceSession::getDeviceId).distinct().count());
        return WebhookEvent.of("presence:" + state.getAppId() + "/" + state.getUserId() + "@"
                        + state.getUpdatedAt().toEpochMilli(), state.getAppId(), WebhookEventType.PRESENCE_CHANGED,
                state.getUpdatedAt(), data);
    }

    private Map<String, Object> message(ChatMessage message) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("messageId", message.getMessageId());
        fields.put("senderId", message.getSenderId());
        fields.put("senderType", message.getSenderType().name());
        fields.put("contentType", message.getContentType().name());
        fields.put("text", message.getText());
        if (message.getCard() != null) {
            fields.put("card", Map.of("title", message.getCard().getTitle(),
                    "fields", message.getCard().getFields().stream()
                            .map(f -> Map.of("label", f.getLabel(), "value", f.getValue())).toList(),
                    "actions", message.getCard().getActions().stream().map(a -> {
                        Map<String, Object> button = new LinkedHashMap<>();
                        button.put("id", a.getId());
                        button.put("label", a.getLabel());
                        button.put("url", a.getUrl());
                        button.put("callbackId", a.getCallbackId());
                        return button;
                    }).toList()));
        }
        if (message.getCustom() != null) {
            fields.put("custom", Map.of("type", message.getCustom().getType(),
                    "payload", json.readTree(message.getCustom().getPayload())));
        }
        fields.put("replyToSeq", message.getReplyToSeq());
        fields.put("threadRootSeq", message.getThreadRootSeq());
        fields.put("mentions", message.getMentions());
        fields.put("mentionAll", message.getMentionAll());
        fields.put("version", message.getVersion());
        fields.put("status", message.getStatus().name());
        fields.put("createdAt", message.getCreatedAt().toString());
        fields.put("updatedAt", message.getUpdatedAt() == null ? null : message.getUpdatedAt().toString());
        return fields;
    }
}
