package io.switchboard.message.inbox;

import io.switchboard.message.erasure.ConversationErasure;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code user_conversations} table, and the conversations' counters it is read against. */
@Repository
class InboxStore {

    private static final int IN_CHUNK = 500;

    private final JdbcClient jdbc;

    InboxStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A conversation's counters; zero and null for a conversation without messages. Its own
     * history starts at {@code firstSeq}: lower seqs were a deleted conversation's of the same id,
     * as were all of them if the conversation was created after {@code incarnation}.
     */
    record Counters(long lastSeq, long changeSeq, Instant lastActivityAt, long firstSeq, Instant incarnation) {
        static final Counters NONE = new Counters(0, 0, null, 1, null);

        /** Whether these counters still describe a deleted conversation that the one created at {@code createdAt} replaced. */
        boolean predate(Instant createdAt) {
            return ConversationErasure.firstSeq(firstSeq, lastSeq, incarnation, createdAt) != firstSeq;
        }
    }

    /** A user's own state of a conversation; {@link #NONE} before they read, pinned or muted it. */
    record UserState(long readSeq, Instant readAt, Instant pinnedAt, boolean muted) {
        static final UserState NONE = new UserState(0, null, null, false);
    }

    /** How far one user has read. */
    record ReadPosition(String userId, long readSeq, Instant readAt) {
    }

    Map<String, Counters> counters(String appId, Collection<String> conversationIds) {
        Map<String, Counters> result = new HashMap<>();
        for (List<String> chunk : chunks(conversationIds)) {
            jdbc.sql("SELECT conversation_id, last_seq, last_change_seq, last_activity_at, first_seq, incarnation "
                            + "FROM conversation_sequences WHERE app_id = ? AND conversation_id IN ("
                            + placeholders(chunk.size()) + ")")
                    .params(params(appId, chunk))
                    .query((ResultSet rs) -> {
                        result.put(rs.getString(1), new Counters(rs.getLong(2), rs.getLong(3), instant(rs, 4),
                                rs.getLong(5), instant(rs, 6)));
                    });
        }
        return result;
    }

    Map<String, UserState> userStates(String appId, String userId, Collection<String> conversationIds) {
        Map<String, UserState> result = new HashMap<>();
        for (List<String> chunk : chunks(conversationIds)) {
            List<Object> params = new ArrayList<>(List.of(appId, userId));
            params.addAll(chunk);
            jdbc.sql("SELECT conversation_id, read_seq, read_at, pinned_at, muted FROM user_conversations "
                            + "WHERE app_id = ? AND user_id = ? AND conversation_id IN (" + placeholders(chunk.size()) + ")")
                    .params(params)
                    .query((ResultSet rs) -> {
                        result.put(rs.getString(1), new UserState(rs.getLong(2), instant(rs, 3), instant(rs, 4),
                                rs.getBoolean(5)));
                    });
        }
        return result;
    }

    /**
     * Moves the user's read position forward to {@code seq}; never backward.
     *
     * @return true when it moved
     */
    boolean advanceRead(String appId, String userId, String conversationId, long seq, Instant at) {
        ensureRow(appId, userId, conversationId);
        return jdbc.sql("UPDATE user_conversations SET read_seq = ?, read_at = ? "
                        + "WHERE app_id = ? AND user_id = ? AND conversation_id = ? AND read_seq < ?")
                .params(seq, utc(at), appId, userId, conversationId, seq)
                .update() == 1;
    }

    void setPinned(String appId, String userId, String conversationId, Instant pinnedAt) {
        ensureRow(appId, userId, conversationId);
        jdbc.sql("UPDATE user_conversations SET pinned_at = ? WHERE app_id = ? AND user_id = ? AND conversation_id = ?")
                .params(pinnedAt == null ? null : utc(pinnedAt), appId, userId, conversationId)
                .update();
    }

    void setMuted(String appId, String userId, String conversationId, boolean muted) {
        ensureRow(appId, userId, conversationId);
        jdbc.sql("UPDATE user_conversations SET muted = ? WHERE app_id = ? AND user_id = ? AND conversation_id = ?")
                .params(muted, appId, userId, conversationId)
                .update();
    }

    /** Everyone whose read position is at least {@code seq}, by user id. */
    List<ReadPosition> readAtLeast(String appId, String conversationId, long seq) {
        return jdbc.sql("SELECT user_id, read_seq, read_at FROM user_conversations "
                        + "WHERE app_id = ? AND conversation_id = ? AND read_seq >= ? ORDER BY user_id")
                .params(appId, conversationId, seq)
                .query((rs, n) -> new ReadPosition(rs.getString(1), rs.getLong(2), instant(rs, 3)))
                .list();
    }

    private void ensureRow(String appId, String userId, String conversationId) {
        jdbc.sql("INSERT INTO user_conversations (app_id, user_id, conversation_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(appId, userId, conversationId)
                .update();
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = new ArrayList<>(ids);
        if (all.isEmpty()) {
            return Collections.emptyList();
        }
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            chunks.add(all.subList(from, Math.min(from + IN_CHUNK, all.size())));
        }
        return chunks;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private static List<Object> params(String appId, List<String> ids) {
        List<Object> params = new ArrayList<>(ids.size() + 1);
        params.add(appId);
        params.addAll(ids);
        return params;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
