package io.switchboard.message.messages;

import java.time.Instant;

/**
 * A stored message.
 *
 * @param threadRootSeq the first message of the reply chain this one belongs to, or {@code null}
 * @param origin        the business event a routed notification came from, or {@code null}
 * @param version       1 when created, one more with every edit, recall or deletion
 * @param changeSeq     the conversation's change counter at this message's last change
 */
public record Message(String appId, String conversationId, long seq, String messageId, String senderId,
                      SenderType senderType, Content content, Long replyToSeq, Long threadRootSeq, Origin origin,
                      int version, Status status, long changeSeq, Instant createdAt, Instant updatedAt) {

    public enum SenderType { USER, APP, SYSTEM }

    public enum Status { ACTIVE, EDITED, RECALLED, DELETED }

    /** Where a routed notification came from. */
    public record Origin(String eventId, String source, String eventType, String routeId) {
    }

    /** What a caller wants appended; the store assigns seq, change seq and time. */
    public record Draft(String appId, String conversationId, String messageId, String senderId, SenderType senderType,
                        Content content, Long replyToSeq, Long threadRootSeq, Origin origin) {
    }
}
