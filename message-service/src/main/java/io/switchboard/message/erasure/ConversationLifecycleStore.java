package io.switchboard.message.erasure;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a conversation's history starts ({@code conversation_sequences}: first_seq, incarnation,
 * erased_until), and the erasure of everything stored below it.
 */
@Repository
class ConversationLifecycleStore {

    private static final String COLUMNS = "last_seq, first_seq, incarnation, erased_until";

    private final JdbcClient jdbc;

    ConversationLifecycleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A conversation's counters as erasure sees them.
     *
     * @param incarnation createdAt of the conversation whose messages start at {@code firstSeq}; null if unknown
     * @param erasedUntil when it was last deleted; null if never
     */
    record Lifecycle(long lastSeq, long firstSeq, Instant incarnation, Instant erasedUntil) {
    }

    /** What one erasure removed. */
    record Erased(int messages, int versions, int hides, int readStates, int idempotencyKeys, int digestItems) {
    }

    Optional<Lifecycle> find(String appId, String conversationId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM conversation_sequences WHERE app_id = ? AND conversation_id = ?")
                .params(appId, conversationId)
                .query(ConversationLifecycleStore::lifecycle)
                .optional();
    }

    /** Locks the conversation's counters (creating them at zero) until the transaction ends. */
    Lifecycle lock(String appId, String conversationId) {
        jdbc.sql("INSERT INTO conversation_sequences (app_id, conversation_id, last_seq, last_change_seq) "
                        + "VALUES (?, ?, 0, 0) ON CONFLICT DO NOTHING")
                .params(appId, conversationId)
                .update();
        return jdbc.sql("SELECT " + COLUMNS + " FROM conversation_sequences WHERE app_id = ? AND conversation_id = ? "
                        + "FOR UPDATE")
                .params(appId, conversationId)
                .query(ConversationLifecycleStore::lifecycle)
                .single();
    }

    /** The state of several conversations of one app, whose counters this transaction holds locked already. */
    Map<String, Lifecycle> locked(String appId, Collection<String> conversationIds) {
        Map<String, Lifecycle> rows = new LinkedHashMap<>();
        List<Object> params = new ArrayList<>(conversationIds.size() + 1);
        params.add(appId);
        params.addAll(conversationIds);
        jdbc.sql("SELECT conversation_id, " + COLUMNS + " FROM conversation_sequences WHERE app_id = ? "
                        + "AND conversation_id IN (" + String.join(", ", Collections.nCopies(conversationIds.size(), "?")) + ")")
                .params(params)
                .query((ResultSet rs) -> {
                    rows.put(rs.getString("conversation_id"), lifecycle(rs, 0));
                });
        return rows;
    }

    void setIncarnation(String appId, String conversationId, Instant incarnation) {
        jdbc.sql("UPDATE conversation_sequences SET incarnation = ? WHERE app_id = ? AND conversation_id = ?")
                .params(utc(incarnation), appId, conversationId)
                .update();
    }

    void setErasedUntil(String appId, String conversationId, Instant erasedUntil) {
        jdbc.sql("UPDATE conversation_sequences SET erased_until = ? WHERE app_id = ? AND conversation_id = ?")
                .params(utc(erasedUntil), appId, conversationId)
                .update();
    }

    /** Starts the conversation's history at {@code firstSeq}, for the conversation created at {@code incarnation}. */
    void startHistory(String appId, String conversationId, long firstSeq, Instant incarnation, Instant erasedUntil) {
        jdbc.sql("UPDATE conversation_sequences SET first_seq = ?, incarnation = ?, erased_until = ? "
                        + "WHERE app_id = ? AND conversation_id = ?")
                .params(firstSeq, incarnation == null ? null : utc(incarnation),
                        erasedUntil == null ? null : utc(erasedUntil), appId, conversationId)
                .update();
    }

    /**
     * Removes what the conversation stored below {@code firstSeq} (messages with their versions,
     * hides and idempotency keys), every user's read state of it, and the digest items collected
     * for it before {@code digestsBefore}.
     */
    Erased eraseBelow(String appId, String conversationId, long firstSeq, Instant digestsBefore) {
        int keys = jdbc.sql("DELETE FROM idempotency_keys WHERE message_id IN (SELECT message_id FROM messages "
                        + "WHERE app_id = ? AND conversation_id = ? AND seq < ?)")
                .params(appId, conversationId, firstSeq).update();
        int versions = deleteBelow("message_versions", appId, conversationId, firstSeq);
        int hides = deleteBelow("hidden_messages", appId, conversationId, firstSeq);
        int messages = deleteBelow("messages", appId, conversationId, firstSeq);
        int readStates = jdbc.sql("DELETE FROM user_conversations WHERE app_id = ? AND conversation_id = ?")
                .params(appId, conversationId).update();
        int digestItems = jdbc.sql("DELETE FROM routing_digest_items WHERE app_id = ? AND conversation_id = ? "
                        + "AND created_at < ?")
                .params(appId, conversationId, utc(digestsBefore)).update();
        return new Erased(messages, versions, hides, readStates, keys, digestItems);
    }

    private int deleteBelow(String table, String appId, String conversationId, long firstSeq) {
        return jdbc.sql("DELETE FROM " + table + " WHERE app_id = ? AND conversation_id = ? AND seq < ?")
                .params(appId, conversationId, firstSeq).update();
    }

    private static Lifecycle lifecycle(ResultSet rs, int row) throws SQLException {
        return new Lifecycle(rs.getLong("last_seq"), rs.getLong("first_seq"), instant(rs, "incarnation"),
                instant(rs, "erased_until"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
