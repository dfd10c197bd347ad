package io.switchboard.message.messages;

import java.time.Instant;

/**
 * A stored message.
 *
 * @param origin the business event a routed notification came from, or {@code null}
 */
public record Message(String appId, String conversationId, long seq, String messageId, String senderId,
                      SenderType senderType, ContentType contentType, String text, Origin origin,
                      Instant createdAt) {

    public enum SenderType { USER, APP, SYSTEM }

    public enum ContentType { TEXT }

    /** Where a routed notification came from. */
    public record Origin(String eventId, String source, String eventType, String routeId) {
    }

    /** What a caller wants appended; the store assigns seq, id and time. */
    public record Draft(String appId, String conversationId, String senderId, SenderType senderType,
                        ContentType contentType, String text, Origin origin) {
    }
}
