package io.switchboard.message.messages;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.ContentType;
import io.switchboard.events.chat.EventOrigin;
import io.switchboard.events.chat.SenderType;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The message log. Appending stores the message with the conversation's next seq and queues its
 * {@code MESSAGE_CREATED} event in the outbox, in one transaction: a message is accepted exactly
 * when it is durably stored, and then it is published, in seq order per conversation.
 */
@Service
public class Messages {

    private final MessageStore store;
    private final Outbox outbox;

    Messages(MessageStore store, Outbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    /** Appends a message; joins the caller's transaction (routing records the event id in it). */
    @Transactional(propagation = Propagation.REQUIRED)
    public Message append(Message.Draft draft) {
        long seq = store.nextSeq(draft.appId(), draft.conversationId());
        Message message = new Message(draft.appId(), draft.conversationId(), seq,
                "m_" + UUID.randomUUID().toString().replace("-", ""), draft.senderId(), draft.senderType(),
                draft.contentType(), draft.text(), draft.origin(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.insert(message);
        outbox.append(Topics.CHAT_MESSAGES, Topics.conversationKey(message.appId(), message.conversationId()),
                created(message));
        return message;
    }

    List<Message> history(String appId, String conversationId, long afterSeq, int limit) {
        return store.after(appId, conversationId, afterSeq, limit);
    }

    private static ChatMessageEvent created(Message message) {
        Message.Origin origin = message.origin();
        return ChatMessageEvent.newBuilder()
                .setEventId(message.messageId() + ":created")
                .setType(ChatEventType.MESSAGE_CREATED)
                .setAppId(message.appId())
                .setConversationId(message.conversationId())
                .setSeq(message.seq())
                .setOccurredAt(message.createdAt())
                .setMessage(ChatMessage.newBuilder()
                        .setMessageId(message.messageId())
                        .setSenderId(message.senderId())
                        .setSenderType(SenderType.valueOf(message.senderType().name()))
                        .setContentType(ContentType.valueOf(message.contentType().name()))
                        .setText(message.text())
                        .setOrigin(origin == null ? null : EventOrigin.newBuilder()
                                .setEventId(origin.eventId()).setSource(origin.source())
                                .setEventType(origin.eventType()).setRouteId(origin.routeId()).build())
                        .setCreatedAt(message.createdAt())
                        .build())
                .build();
    }
}
