package io.switchboard.push.webhooks;

import io.switchboard.events.chat.Card;
import io.switchboard.events.chat.CardAction;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.ContentType;
import io.switchboard.events.chat.EventOrigin;
import io.switchboard.events.chat.MessageStatus;
import io.switchboard.events.chat.SenderType;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.schemas.Topics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Chat events as message-service publishes them on {@code chat.messages}. */
public final class ChatEvents {

    private ChatEvents() {
    }

    public static ChatMessageEvent created(String appId, String conversationId, long seq, String senderId, String text) {
        return event(ChatEventType.MESSAGE_CREATED, appId, conversationId, seq, seq, null,
                message(seq, senderId, text, 1, MessageStatus.ACTIVE).build());
    }

    public static ChatMessageEvent edited(String appId, String conversationId, long seq, long changeSeq, String senderId,
                                          String text, int version) {
        return event(ChatEventType.MESSAGE_EDITED, appId, conversationId, seq, changeSeq, senderId,
                message(seq, senderId, text, version, MessageStatus.EDITED).build());
    }

    public static ChatMessageEvent recalled(String appId, String conversationId, long seq, long changeSeq, String senderId,
                                            int version) {
        return event(ChatEventType.MESSAGE_RECALLED, appId, conversationId, seq, changeSeq, senderId,
                message(seq, senderId, "", version, MessageStatus.RECALLED).build());
    }

    /** A card with an "Approve" callback button (id {@code approve}) and an "Open" link button (id {@code open}). */
    public static ChatMessageEvent card(String appId, String conversationId, long seq, String callbackId) {
        Card card = Card.newBuilder().setTitle("Deal ACME: approve discount?")
                .setActions(List.of(
                        CardAction.newBuilder().setId("approve").setLabel("Approve").setCallbackId(callbackId).build(),
                        CardAction.newBuilder().setId("open").setLabel("Open").setUrl("https://crm.example.com/deals/42").build()))
                .build();
        return event(ChatEventType.MESSAGE_CREATED, appId, conversationId, seq, seq, null,
                message(seq, "system:crm", "Deal ACME: approve discount?", 1, MessageStatus.ACTIVE)
                        .setSenderType(SenderType.SYSTEM).setContentType(ContentType.CARD).setCard(card)
                        .setOrigin(EventOrigin.newBuilder().setEventId("crm-42").setSource("crm")
                                .setEventType("deal.discount-requested").setRouteId("discounts").build())
                        .build());
    }

    public static void publish(ChatMessageEvent event) {
        TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(event.getAppId(), event.getConversationId()),
                event);
    }

    private static ChatMessageEvent event(ChatEventType type, String appId, String conversationId, long seq, long changeSeq,
                                          String actorId, ChatMessage message) {
        return ChatMessageEvent.newBuilder()
                .setEventId(message.getMessageId() + ":" + type + ":" + message.getVersion()).setType(type)
                .setAppId(appId).setConversationId(conversationId).setSeq(seq).setChangeSeq(changeSeq).setActorId(actorId)
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setMessage(message)
                .build();
    }

    private static ChatMessage.Builder message(long seq, String senderId, String text, int version, MessageStatus status) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return ChatMessage.newBuilder().setMessageId("m" + seq).setSenderId(senderId).setSenderType(SenderType.USER)
                .setContentType(ContentType.TEXT).setText(text).setVersion(version).setStatus(status)
                .setCreatedAt(now).setUpdatedAt(version > 1 ? now : null);
    }
}
