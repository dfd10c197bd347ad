package io.switchboard.push.gateway;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.EventOrigin;
import io.switchboard.events.membership.ConversationMember;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
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

    String sessionReady(PushSession session) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "session.ready");
        frame.put("protocol", PROTOCOL_VERSION);
        frame.put("sessionId", session.sessionId());
        frame.put("userId", session.userId());
        return json.writeValueAsString(frame);
    }

    String pong() {
        return "{\"type\":\"pong\"}";
    }

    String error(String code, String detail) {
        return json.writeValueAsString(Map.of("type", "error", "code", code, "detail", detail));
    }

    /**
     * The user joined a conversation ({@code joined}), left or was removed ({@code left}), or their
     * role or mute changed ({@code updated}). A client that joined pulls the conversation's history.
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

    String messageCreated(ChatMessageEvent event) {
        var message = event.getMessage();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "message.created");
        frame.put("conversationId", event.getConversationId());
        frame.put("seq", event.getSeq());
        frame.put("messageId", message.getMessageId());
        frame.put("senderId", message.getSenderId());
        frame.put("senderType", message.getSenderType().name());
        frame.put("contentType", message.getContentType().name());
        frame.put("text", message.getText());
        EventOrigin origin = message.getOrigin();
        if (origin != null) {
            frame.put("origin", Map.of("eventId", origin.getEventId(), "source", origin.getSource(),
                    "eventType", origin.getEventType(), "routeId", origin.getRouteId()));
        }
        frame.put("createdAt", message.getCreatedAt().toString());
        return json.writeValueAsString(frame);
    }
}
