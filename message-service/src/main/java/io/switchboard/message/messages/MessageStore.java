package io.switchboard.message.messages;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The {@code messages} and {@code conversation_sequences} tables. */
@Repository
class MessageStore {

    private static final RowMapper<Message> MESSAGE = (rs, n) -> new Message(
            rs.getString("app_id"), rs.getString("conversation_id"), rs.getLong("seq"), rs.getString("message_id"),
            rs.getString("sender_id"), Message.SenderType.valueOf(rs.getString("sender_type")),
            Message.ContentType.valueOf(rs.getString("content_type")), rs.getString("text"),
            rs.getString("origin_event_id") == null ? null : new Message.Origin(rs.getString("origin_event_id"),
                    rs.getString("origin_source"), rs.getString("origin_event_type"), rs.getString("origin_route_id")),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;

    MessageStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Hands out the conversation's next seq. The sequence row stays locked until the transaction
     * ends, so concurrent appends to one conversation are serialized and seq has no gap.
     */
    long nextSeq(String appId, String conversationId) {
        jdbc.sql("INSERT INTO conversation_sequences (app_id, conversation_id, last_seq) VALUES (?, ?, 0) "
                        + "ON CONFLICT DO NOTHING")
                .params(appId, conversationId)
                .update();
        long last = jdbc.sql("SELECT last_seq FROM conversation_sequences WHERE app_id = ? AND conversation_id = ? "
                        + "FOR UPDATE")
                .params(appId, conversationId)
                .query(Long.class)
                .single();
        jdbc.sql("UPDATE conversation_sequences SET last_seq = ? WHERE app_id = ? AND conversation_id = ?")
                .params(last + 1, appId, conversationId)
                .update();
        return last + 1;
    }

    void insert(Message message) {
        Message.Origin origin = message.origin();
        jdbc.sql("""
                        INSERT INTO messages (app_id, conversation_id, seq, message_id, sender_id, sender_type, content_type,
                                              text, origin_event_id, origin_source, origin_event_type, origin_route_id, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(message.appId(), message.conversationId(), message.seq(), message.messageId(), message.senderId(),
                        message.senderType().name(), message.contentType().name(), message.text(),
                        origin == null ? null : origin.eventId(), origin == null ? null : origin.source(),
                        origin == null ? null : origin.eventType(), origin == null ? null : origin.routeId(),
                        message.createdAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    /** Messages with {@code seq > afterSeq}, oldest first. */
    List<Message> after(String appId, String conversationId, long afterSeq, int limit) {
        return jdbc.sql("SELECT * FROM messages WHERE app_id = ? AND conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                .params(appId, conversationId, afterSeq, limit)
                .query(MESSAGE)
                .list();
    }
}
