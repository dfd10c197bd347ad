package io.switchboard.message.messages;

import java.time.Instant;
import java.util.List;

/** A message as the HTTP API shows it. */
public record MessageResponse(String messageId, String conversationId, long seq, String senderId, String senderType,
                       String contentType, String text, Content.Card card, Content.Custom custom,
                       List<String> mentions, boolean mentionAll, Long replyToSeq, Long threadRootSeq,
                       Message.Origin origin, int version, String status, long changeSeq, Instant createdAt,
                       Instant updatedAt) {

    public static MessageResponse of(Message m) {
        Content c = m.content();
        return new MessageResponse(m.messageId(), m.conversationId(), m.seq(), m.senderId(), m.senderType().name(),
                c.type().name(), c.text(), c.card(), c.custom(), c.mentions(), c.mentionAll(), m.replyToSeq(),
                m.threadRootSeq(), m.origin(), m.version(), m.status().name(), m.changeSeq(), m.createdAt(),
                m.updatedAt());
    }
}
