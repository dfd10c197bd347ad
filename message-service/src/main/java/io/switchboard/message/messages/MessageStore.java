package io.switchboard.message.messages;

import io.switchboard.platform.Dialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/** The {@code messages} and {@code conversation_sequences} tables. */
@Repository
class MessageStore {

    /** Leaves out what the viewer (the next parameter) deleted for themselves. */
    private static final String NOT_HIDDEN = "AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.app_id = m.app_id "
            + "AND h.conversation_id = m.conversation_id AND h.seq = m.seq AND h.user_id = ?) ";

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final MessageBodies bodies;
    private final boolean upsertReturning;
    private final RowMapper<Message> rows = this::message;

    MessageStore(JdbcClient jdbc, JdbcTemplate batches, MessageBodies bodies) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.bodies = bodies;
        this.upsertReturning = Dialect.isPostgres(batches);
    }

    /** The seq a new message gets and the conversation's change counter for it. */
    record Position(long seq, long changeSeq) {
    }

    /**
     * Locks the conversation's counters and returns their current values. The row stays locked
     * until the transaction ends, so concurrent changes of one conversation are serialized, the
     * counters are gapless, and their order is the commit order.
     */
    Position lock(String appId, String conversationId) {
        jdbc.sql("INSERT INTO conversation_sequences (app_id, conversation_id, last_seq, last_change_seq) "
                        + "VALUES (?, ?, 0, 0) ON CONFLICT DO NOTHING")
                .params(appId, conversationId)
                .update();
        return jdbc.sql("SELECT last_seq, last_change_seq FROM conversation_sequences "
                        + "WHERE app_id = ? AND conversation_id = ? FOR UPDATE")
                .params(appId, conversationId)
                .query((rs, n) -> new Position(rs.getLong(1), rs.getLong(2)))
                .single();
    }

    /**
     * Locks the counters of several conversations of one app, in conversation id order (so two
     * batches never wait for each other's locks in a cycle), and returns their current values.
     */
    private Map<String, Position> lockAll(String appId, List<String> conversationIds) {
        List<String> sorted = conversationIds.stream().distinct().sorted().toList();
        batches.batchUpdate("INSERT INTO conversation_sequences (app_id, conversation_id, last_seq, last_change_seq) "
                + "VALUES (?, ?, 0, 0) ON CONFLICT DO NOTHING", sorted.stream().map(c -> new Object[]{appId, c}).toList());
        Map<String, Position> locked = new HashMap<>();
        List<Object> params = new ArrayList<>(sorted.size() + 1);
        params.add(appId);
        params.addAll(sorted);
        jdbc.sql("SELECT conversation_id, last_seq, last_change_seq FROM conversation_sequences WHERE app_id = ? "
                        + "AND conversation_id IN (" + String.join(", ", Collections.nCopies(sorted.size(), "?")) + ") "
                        + "ORDER BY conversation_id FOR UPDATE")
                .params(params)
                .query((ResultSet rs) -> {
                    locked.put(rs.getString(1), new Position(rs.getLong(2), rs.getLong(3)));
                });
        return locked;
    }

    /**
     * Reserves seqs for new messages: advances each conversation's counters by its count of new
     * messages and returns the values before, with the rows locked until the transaction ends (in
     * conversation id order, so concurrent reservations cannot deadlock). On PostgreSQL this is one
     * upsert; elsewhere a lock, then an update.
     *
     * @param counts new messages per conversation of the app
     */
    Map<String, Position> reserve(String appId, Map<String, Integer> counts, Instant lastActivity) {
        List<String> sorted = counts.keySet().stream().sorted().toList();
        Map<String, Position> before = new HashMap<>();
        if (upsertReturning) {
            List<Object> params = new ArrayList<>(sorted.size() * 5);
            for (String conversationId : sorted) {
                params.addAll(List.of(appId, conversationId, counts.get(conversationId), counts.get(conversationId),
                        utc(lastActivity)));
            }
            jdbc.sql("INSERT INTO conversation_sequences (app_id, conversation_id, last_seq, last_change_seq, "
                            + "last_activity_at) VALUES " + String.join(", ", Collections.nCopies(sorted.size(),
                            "(?, ?, ?, ?, ?)")) + " ON CONFLICT (app_id, conversation_id) DO UPDATE SET "
                            + "last_seq = conversation_sequences.last_seq + EXCLUDED.last_seq, "
                            + "last_change_seq = conversation_sequences.last_change_seq + EXCLUDED.last_change_seq, "
                            + "last_activity_at = EXCLUDED.last_activity_at "
                            + "RETURNING conversation_id, last_seq, last_change_seq")
                    .params(params)
                    .query((ResultSet rs) -> {
                        int count = counts.get(rs.getString(1));
                        before.put(rs.getString(1), new Position(rs.getLong(2) - count, rs.getLong(3) - count));
                    });
            return before;
        }
        before.putAll(lockAll(appId, sorted));
        Map<String, Position> after = new HashMap<>();
        before.forEach((conversationId, last) -> after.put(conversationId, new Position(
                last.seq() + counts.get(conversationId), last.changeSeq() + counts.get(conversationId))));
        advanceAll(appId, after, lastActivity);
        return before;
    }

    /** Writes the counters after appending new messages to several conversations. */
    private void advanceAll(String appId, Map<String, Position> counters, Instant lastActivity) {
        batches.batchUpdate("UPDATE conversation_sequences SET last_seq = ?, last_change_seq = ?, last_activity_at = ? "
                        + "WHERE app_id = ? AND conversation_id = ?",
                counters.entrySet().stream().map(e -> new Object[]{e.getValue().seq(), e.getValue().changeSeq(),
                        utc(lastActivity), appId, e.getKey()}).toList());
    }

    /** Advances the locked change counter for a change of an existing message; returns the new values. */
    Position advanceChange(String appId, String conversationId, Position locked) {
        Position next = new Position(locked.seq(), locked.changeSeq() + 1);
        jdbc.sql("UPDATE conversation_sequences SET last_change_seq = ? WHERE app_id = ? AND conversation_id = ?")
                .params(next.changeSeq(), appId, conversationId)
                .update();
        return next;
    }

    /** Encrypts a new message's body; done before the counters are locked, to keep the lock short. */
    byte[] seal(Message.Draft draft) {
        return bodies.seal(draft.appId(), draft.messageId(), draft.content());
    }

    /** Stores new messages in one batch, with their bodies sealed by {@link #seal}, in the same order. */
    void insertAll(List<Message> messages, List<byte[]> sealedBodies) {
        batches.batchUpdate("""
                        INSERT INTO messages (app_id, conversation_id, seq, message_id, sender_id, sender_type, content_type,
                                              body, reply_to_seq, thread_root_seq, version, status, change_seq,
                                              origin_event_id, origin_source, origin_event_type, origin_route_id, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                IntStream.range(0, messages.size())
                        .mapToObj(i -> insertParams(messages.get(i), sealedBodies.get(i))).toList(),
                new int[]{Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
                        Types.VARCHAR, Types.BINARY, Types.BIGINT, Types.BIGINT, Types.INTEGER, Types.VARCHAR,
                        Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
                        Types.TIMESTAMP_WITH_TIMEZONE});
    }

    private static Object[] insertParams(Message message, byte[] sealedBody) {
        Message.Origin origin = message.origin();
        return new Object[]{message.appId(), message.conversationId(), message.seq(), message.messageId(),
                message.senderId(), message.senderType().name(), message.content().type().name(), sealedBody,
                message.replyToSeq(), message.threadRootSeq(), message.version(), message.status().name(),
                message.changeSeq(),
                origin == null ? null : origin.eventId(), origin == null ? null : origin.source(),
                origin == null ? null : origin.eventType(), origin == null ? null : origin.routeId(),
                utc(message.createdAt())};
    }

    /** Writes a message's new content, version, status and change seq. */
    void update(Message message) {
        jdbc.sql("UPDATE messages SET body = ?, version = ?, status = ?, change_seq = ?, updated_at = ? "
                        + "WHERE app_id = ? AND conversation_id = ? AND seq = ?")
                .params(bodies.seal(message.appId(), message.messageId(), message.content()), message.version(),
                        message.status().name(), message.changeSeq(), utc(message.updatedAt()),
                        message.appId(), message.conversationId(), message.seq())
                .update();
    }

    /** A version an edit replaced. */
    record Version(int version, Content content, String authorId, Instant validFrom) {
    }

    void insertVersion(Message replaced) {
        Instant validFrom = replaced.updatedAt() != null ? replaced.updatedAt() : replaced.createdAt();
        jdbc.sql("INSERT INTO message_versions (app_id, conversation_id, seq, version, body, author_id, valid_from) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(replaced.appId(), replaced.conversationId(), replaced.seq(), replaced.version(),
                        bodies.seal(replaced.appId(), versionId(replaced.messageId(), replaced.version()), replaced.content()),
                        replaced.senderId(), utc(validFrom))
                .update();
    }

    /** Earlier versions of a message, newest first. */
    List<Version> versions(Message message) {
        return jdbc.sql("SELECT version, body, author_id, valid_from FROM message_versions "
                        + "WHERE app_id = ? AND conversation_id = ? AND seq = ? ORDER BY version DESC")
                .params(message.appId(), message.conversationId(), message.seq())
                .query((rs, n) -> new Version(rs.getInt("version"),
                        bodies.open(message.appId(), versionId(message.messageId(), rs.getInt("version")), rs.getBytes("body")),
                        rs.getString("author_id"), instant(rs, "valid_from")))
                .list();
    }

    void eraseVersions(Message message) {
        jdbc.sql("DELETE FROM message_versions WHERE app_id = ? AND conversation_id = ? AND seq = ?")
                .params(message.appId(), message.conversationId(), message.seq())
                .update();
    }

    /** Hides a message from one user's history; false if it was hidden already. */
    boolean hide(String appId, String conversationId, String userId, long seq, Instant at) {
        return jdbc.sql("INSERT INTO hidden_messages (app_id, conversation_id, user_id, seq, hidden_at) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(appId, conversationId, userId, seq, utc(at))
                .update() == 1;
    }

    /** The associated data of an earlier version's body: it cannot pass for another version or message. */
    private static String versionId(String messageId, int version) {
        return messageId + "#v" + version;
    }

    Optional<Message> find(String appId, String conversationId, long seq) {
        return jdbc.sql("SELECT * FROM messages WHERE app_id = ? AND conversation_id = ? AND seq = ?")
                .params(appId, conversationId, seq)
                .query(rows)
                .optional();
    }

    Optional<Message> findById(String appId, String messageId) {
        return jdbc.sql("SELECT * FROM messages WHERE app_id = ? AND message_id = ?")
                .params(appId, messageId)
                .query(rows)
                .optional();
    }

    /** Messages with {@code seq > afterSeq} that {@code viewerId} has not hidden, oldest first. */
    List<Message> after(String appId, String conversationId, String viewerId, long afterSeq, int limit) {
        return visible(appId, conversationId, viewerId, "seq > ?", afterSeq, "seq", limit);
    }

    /** Messages with {@code seq < beforeSeq} that {@code viewerId} has not hidden, newest first. */
    List<Message> before(String appId, String conversationId, String viewerId, long beforeSeq, int limit) {
        return visible(appId, conversationId, viewerId, "seq < ?", beforeSeq, "seq DESC", limit);
    }

    /** Messages changed (created, edited, recalled, deleted) after {@code afterChangeSeq}, in change order. */
    List<Message> changedAfter(String appId, String conversationId, String viewerId, long afterChangeSeq, int limit) {
        return visible(appId, conversationId, viewerId, "change_seq > ?", afterChangeSeq, "change_seq", limit);
    }

    /** Replies in the thread rooted at {@code rootSeq} with {@code seq > afterSeq}, oldest first. */
    List<Message> thread(String appId, String conversationId, String viewerId, long rootSeq, long afterSeq, int limit) {
        return jdbc.sql("SELECT * FROM messages m WHERE app_id = ? AND conversation_id = ? AND thread_root_seq = ? "
                        + "AND seq > ? " + NOT_HIDDEN + "ORDER BY seq LIMIT ?")
                .params(appId, conversationId, rootSeq, afterSeq, viewerId, limit)
                .query(rows)
                .list();
    }

    /** A page of one conversation's messages matching {@code condition}, without those the viewer hid. */
    private List<Message> visible(String appId, String conversationId, String viewerId, String condition, long bound,
                                  String order, int limit) {
        return jdbc.sql("SELECT * FROM messages m WHERE app_id = ? AND conversation_id = ? AND " + condition + " "
                        + NOT_HIDDEN + "ORDER BY " + order + " LIMIT ?")
                .params(appId, conversationId, bound, viewerId, limit)
                .query(rows)
                .list();
    }

    /** Messages stored before bodies were encrypted: their text is still in the {@code text} column. */
    List<PlaintextRow> plaintextRows(int limit) {
        return jdbc.sql("SELECT app_id, message_id, text FROM messages WHERE body IS NULL LIMIT ?")
                .param(limit)
                .query((rs, n) -> new PlaintextRow(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    record PlaintextRow(String appId, String messageId, String text) {
    }

    void encryptPlaintext(PlaintextRow row) {
        jdbc.sql("UPDATE messages SET body = ?, text = NULL WHERE app_id = ? AND message_id = ? AND body IS NULL")
                .params(bodies.seal(row.appId(), row.messageId(), Content.text(row.text())), row.appId(), row.messageId())
                .update();
    }

    private Message message(ResultSet rs, int row) throws SQLException {
        byte[] body = rs.getBytes("body");
        Content content = body == null ? Content.text(rs.getString("text"))
                : bodies.open(rs.getString("app_id"), rs.getString("message_id"), body);
        String originEventId = rs.getString("origin_event_id");
        return new Message(rs.getString("app_id"), rs.getString("conversation_id"), rs.getLong("seq"),
                rs.getString("message_id"), rs.getString("sender_id"),
                Message.SenderType.valueOf(rs.getString("sender_type")), content,
                (Long) rs.getObject("reply_to_seq", Long.class), (Long) rs.getObject("thread_root_seq", Long.class),
                originEventId == null ? null : new Message.Origin(originEventId, rs.getString("origin_source"),
                        rs.getString("origin_event_type"), rs.getString("origin_route_id")),
                rs.getInt("version"), Message.Status.valueOf(rs.getString("status")), rs.getLong("change_seq"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
