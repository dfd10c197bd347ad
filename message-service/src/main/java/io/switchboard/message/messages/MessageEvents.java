package io.switchboard.message.messages;

import io.switchboard.events.chat.Card;
import io.switchboard.events.chat.CardAction;
import io.switchboard.events.chat.CardField;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.ContentType;
import io.switchboard.events.chat.CustomContent;
import io.switchboard.events.chat.EventOrigin;
import io.switchboard.events.chat.MessageStatus;
import io.switchboard.events.chat.SenderType;

import java.time.Instant;

/** The {@code chat.messages} events of stored messages. */
final class MessageEvents {

    private MessageEvents() {
    }

    static ChatMessageEvent created(Message message) {
        return event(message.messageId() + ":created", ChatEventType.MESSAGE_CREATED, message, null,
                message.createdAt());
    }

    /** An edit, recall or deletion for everyone: the message as it is after the change. */
    static ChatMessageEvent changed(ChatEventType type, Message message, String actorId) {
        return event(message.messageId() + ":v" + message.version(), type, message, actorId, message.updatedAt());
    }

    private static ChatMessageEvent event(String eventId, ChatEventType type, Message message, String actorId,
                                          Instant occurredAt) {
        return ChatMessageEvent.newBuilder()
                .setEventId(eventId)
                .setType(type)
                .setAppId(message.appId())
                .setConversationId(message.conversationId())
                .setSeq(message.seq())
                .setChangeSeq(message.changeSeq())
                .setActorId(actorId)
                .setOccurredAt(occurredAt)
                .setMessage(chatMessage(message))
                .build();
    }

    private static ChatMessage chatMessage(Message message) {
        Content content = message.content();
        Message.Origin origin = message.origin();
        return ChatMessage.newBuilder()
                .setMessageId(message.messageId())
                .setSenderId(message.senderId())
                .setSenderType(SenderType.valueOf(message.senderType().name()))
                .setContentType(ContentType.valueOf(content.type().name()))
                .setText(content.text())
                .setCard(content.card() == null ? null : card(content.card()))
                .setCustom(content.custom() == null ? null : CustomContent.newBuilder()
                        .setType(content.custom().type()).setPayload(content.custom().payload().toString()).build())
                .setReplyToSeq(message.replyToSeq())
                .setThreadRootSeq(message.threadRootSeq())
                .setMentions(content.mentions())
                .setMentionAll(content.mentionAll())
                .setOrigin(origin == null ? null : EventOrigin.newBuilder()
                        .setEventId(origin.eventId()).setSource(origin.source())
                        .setEventType(origin.eventType()).setRouteId(origin.routeId()).build())
                .setVersion(message.version())
                .setStatus(MessageStatus.valueOf(message.status().name()))
                .setCreatedAt(message.createdAt())
                .setUpdatedAt(message.updatedAt())
                .build();
    }

    private static Card card(Content.Card card) {
        return Card.newBuilder()
                .setTitle(card.title())
                .setFields(card.fields().stream()
                        .map(f -> CardField.newBuilder().setLabel(f.label()).setValue(f.value()).build()).toList())
                .setActions(card.actions().stream()
                        .map(a -> CardAction.newBuilder().setId(a.id()).setLabel(a.label()).setUrl(a.url())
                                .setCallbackId(a.callbackId()).build()).toList())
                .build();
    }
}
