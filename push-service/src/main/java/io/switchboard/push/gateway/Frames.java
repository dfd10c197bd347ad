package io.switchboard.push.gateway;

import io.switchboard.events.chat.Card;
import io.switchboard.events.chat.CardAction;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.EventOrigin;
import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.presence.PresenceState;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON frames of the push protocol (version 1). Every frame has a {@code type}; message frames
 * carry the conversation id and seq, so a client can order them and detect gaps.
 */
@Component
class Frames {

    static final String PROTOCOL_VERSION = "1";

    private final JsonMapper json;

    Frames(JsonMapper json) {
        this.json = json;
    }

    /** The session is set up: every event fanned out from now on reaches it. */
    String sessionReady(PushSession session, Duration heartbeatInterval) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "session.ready");
        frame.put("protocol", PROTOCOL_VERSION);
        frame.put("sessionId", session.sessionId());
        frame.put("userId", session.userId());
        frame.put("deviceId", session.deviceId());
        frame.put("expiresAt", session.expiresAt() == null ? null : session.expiresAt().toString());
        frame.put("heartbeatIntervalSeconds", heartbeatInterval.toSeconds());
        return json.writeValueAsString(frame);
    }

    /** The session's token expires at {@code expiresAt}: send {@code auth.refresh} with a new one before then. */
    String authExpiring(Instant expiresAt) {
        return json.writeValueAsString(Map.of("type", "auth.expiring", "expiresAt", expiresAt.toString()));
    }

    /** The session now holds the token sent with {@code auth.refresh}. */
    String authRefreshed(Instant expiresAt) {
        return json.writeValueAsString(Map.of("type", "auth.refreshed", "expiresAt", expiresAt.toString()));
    }

    String pong() {
        return "{\"type\":\"pong\"}";
    }

    String error(String code, String detail) {
        return json.writeValueAsString(Map.of("type", "error", "code", code, "detail", detail));
    }

    /**
     * The user joined a conversation ({@code joined}), left or was removed ({@code left}), or their
     * role ({@code role-changed}), mute ({@code muted}, {@code unmuted}) or anything else
     * ({@code updated}) changed. A client that joined pulls the conversation's history.
     */
    String membershipChanged(String conversationId, String change, ConversationMember member) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "membership.changed");
        frame.put("conversationId", conversationId);
        frame.put("change", change);
        if (member != null) {
            frame.put("role", member.getRole().name());
            frame.put("mutedUntil", member.getMutedUntil() == null ? null : member.getMutedUntil().toString());
            frame.put("conversationVersion", member.getConversationVersion());
        }
        return json.writeValueAsString(frame);
    }

    /** A conversation the user is in changed: its name, archive state, posting rules or metadata as they are now. */
    String conversationChanged(ConversationState conversation) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "conversation.changed");
        frame.put("conversationId", conversation.getConversationId());
        frame.put("conversationType", conversation.getType().name());
        frame.put("name", conversation.getName());
        frame.put("archived", conversation.getArchived());
        frame.put("postingPolicy", conversation.getPostingPolicy().name());
        frame.put("addMembersPolicy", conversation.getAddMembersPolicy().name());
        frame.put("mutedAll", conversation.getMutedAll());
        frame.put("metadata", conversation.getMetadata());
        frame.put("conversationVersion", conversation.getVersion());
        return json.writeValueAsString(frame);
    }

    /**
     * A chat event: {@code message.created}, {@code message.edited}, {@code message.recalled},
     * {@code message.deleted}, {@code message.hidden} (deleted for this user only) or
     * {@code read.updated}. Message frames carry the message as it is after the change.
     */
    String chatEvent(ChatMessageEvent event) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", FRAME_TYPES.get(event.getType()));
        frame.put("conversationId", event.getConversationId());
        frame.put("seq", event.getSeq());
        if (event.getChangeSeq() > 0) {
            frame.put("changeSeq", event.getChangeSeq());
        }
        if (event.getActorId() != null) {
            frame.put("actorId", event.getActorId());
        }
        ChatMessage message = event.getMessage();
        if (message != null) {
            putMessage(frame, message);
        }
        return json.writeValueAsString(frame);
    }

    /**
     * A conversation with news for a resuming client, as message-service's inbox shows it (its
     * {@code type} renamed {@code conversationType}); {@code known} false for one the client did not
     * mention: it reads that conversation's history itself.
     */
    String conversationSynced(JsonNode conversation, boolean known) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "conversation.synced");
        frame.put("known", known);
        conversation.properties().forEach(field -> frame.set(
                field.getKey().equals("type") ? "conversationType" : field.getKey(), field.getValue()));
        return json.writeValueAsString(frame);
    }

    /**
     * A message change from history (message-service's JSON of the message as it is now), framed
     * like the live one of its current state, with {@code replayed} true.
     */
    String replayedMessage(JsonNode message) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", REPLAYED_TYPES.getOrDefault(message.path("status").asString(), "message.edited"));
        frame.set("conversationId", message.path("conversationId"));
        frame.set("seq", message.path("seq"));
        frame.set("changeSeq", message.path("changeSeq"));
        message.properties().forEach(field -> {
            if (!frame.has(field.getKey())) {
                frame.set(field.getKey(), field.getValue());
            }
        });
        frame.put("replayed", true);
        return json.writeValueAsString(frame);
    }

    /** The resume is complete: the change seq each conversation with news is at now, and those the user left. */
    String resumeDone(Map<String, Long> changeSeqs, List<String> removed) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "resume.done");
        frame.put("conversations", changeSeqs);
        frame.put("removed", removed);
        return json.writeValueAsString(frame);
    }

    /** A gap fetch is complete up to {@code changeSeq}; with {@code hasMore}, fetch again from there. */
    String fetchDone(String conversationId, long changeSeq, boolean hasMore) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "fetch.done");
        frame.put("conversationId", conversationId);
        frame.put("changeSeq", changeSeq);
        frame.put("hasMore", hasMore);
        return json.writeValueAsString(frame);
    }

    /**
     * A watched user's presence: {@code online} with the devices they are connected with, or offline
     * with when they were last seen (null if never, as far as presence knows).
     */
    String presenceChanged(String userId, PresenceState state) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "presence.changed");
        frame.put("userId", userId);
        boolean online = state != null && !state.getSessions().isEmpty();
        frame.put("online", online);
        frame.put("devices", online ? PresenceSubscriptions.devices(state).stream().sorted().toList() : List.of());
        frame.put("lastSeenAt", state == null || online ? null : state.getUpdatedAt().toString());
        return json.writeValueAsString(frame);
    }

    /** A replayed message is framed by its current status: created and never changed, edited, recalled or deleted. */
    private static final Map<String, String> REPLAYED_TYPES = Map.of(
            "ACTIVE", "message.created",
            "EDITED", "message.edited",
            "RECALLED", "message.recalled",
            "DELETED", "message.deleted");

    private static final Map<ChatEventType, String> FRAME_TYPES = Map.of(
            ChatEventType.MESSAGE_CREATED, "message.created",
            ChatEventType.MESSAGE_EDITED, "message.edited",
            ChatEventType.MESSAGE_RECALLED, "message.recalled",
            ChatEventType.MESSAGE_DELETED, "message.deleted",
            ChatEventType.MESSAGE_HIDDEN, "message.hidden",
            ChatEventType.READ, "read.updated");

    private void putMessage(Map<String, Object> frame, ChatMessage message) {
        frame.put("messageId", message.getMessageId());
        frame.put("senderId", message.getSenderId());
        frame.put("senderType", message.getSenderType().name());
        frame.put("contentType", message.getContentType().name());
        frame.put("text", message.getText());
        if (message.getCard() != null) {
            Card card = message.getCard();
            frame.put("card", Map.of("title", card.getTitle(),
                    "fields", card.getFields().stream().map(f -> Map.of("label", f.getLabel(), "value", f.getValue())).toList(),
                    "actions", card.getActions().stream().map(Frames::action).toList()));
        }
        if (message.getCustom() != null) {
            frame.put("custom", Map.of("type", message.getCustom().getType(),
                    "payload", json.readTree(message.getCustom().getPayload())));
        }
        frame.put("replyToSeq", message.getReplyToSeq());
        frame.put("threadRootSeq", message.getThreadRootSeq());
        frame.put("mentions", message.getMentions());
        frame.put("mentionAll", message.getMentionAll());
        EventOrigin origin = message.getOrigin();
        if (origin != null) {
            frame.put("origin", Map.of("eventId", origin.getEventId(), "source", origin.getSource(),
                    "eventType", origin.getEventType(), "routeId", origin.getRouteId()));
        }
        frame.put("version", message.getVersion());
        frame.put("status", message.getStatus().name());
        frame.put("createdAt", message.getCreatedAt().toString());
        frame.put("updatedAt", message.getUpdatedAt() == null ? null : message.getUpdatedAt().toString());
    }

    private static Map<String, Object> action(CardAction action) {
        Map<String, Object> button = new LinkedHashMap<>();
        button.put("id", action.getId());
        button.put("label", action.getLabel());
        button.put("url", action.getUrl());
        button.put("callbackId", action.getCallbackId());
        return button;
    }
}
