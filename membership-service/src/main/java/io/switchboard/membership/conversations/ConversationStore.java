package io.switchboard.membership.conversations;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code conversations} and {@code conversation_members} tables. */
@Repository
class ConversationStore {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };
    private static final String COLUMNS = "app_id, conversation_id, type, name, version, member_count, archived, "
            + "metadata, posting_policy, add_members_policy, muted_all, source, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    ConversationStore(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** Inserts a new conversation (without members); {@code false} if one with the same id exists in the app. */
    boolean insert(Conversation c) {
        return jdbc.sql("INSERT INTO conversations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(c.appId(), c.conversationId(), c.type().name(), c.name(), c.version(), c.memberCount(),
                        c.archived(), JSON.writeValueAsString(c.metadata()), c.postingPolicy().name(),
                        c.addMembersPolicy().name(), c.mutedAll(), c.source(), utc(c.createdAt()), utc(c.updatedAt()))
                .update() == 1;
    }

    /** Writes a changed conversation's attributes, version and member count. */
    void update(Conversation c) {
        jdbc.sql("""
                        UPDATE conversations SET name = ?, version = ?, member_count = ?, archived = ?, metadata = ?,
                            posting_policy = ?, add_members_policy = ?, muted_all = ?, updated_at = ?
                        WHERE app_id = ? AND conversation_id = ?""")
                .params(c.name(), c.version(), c.memberCount(), c.archived(), JSON.writeValueAsString(c.metadata()),
                        c.postingPolicy().name(), c.addMembersPolicy().name(), c.mutedAll(), utc(c.updatedAt()),
                        c.appId(), c.conversationId())
                .update();
    }

    void delete(String appId, String conversationId) {
        jdbc.sql("DELETE FROM conversations WHERE app_id = ? AND conversation_id = ?").params(appId, conversationId).update();
    }

    /** Locks the conversation row: changes to one conversation (and its members) are serialized. */
    Optional<Conversation> findForUpdate(String appId, String conversationId) {
        return find(appId, conversationId, " FOR UPDATE");
    }

    Optional<Conversation> find(String appId, String conversationId) {
        return find(appId, conversationId, "");
    }

    private Optional<Conversation> find(String appId, String conversationId, String lock) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM conversations WHERE app_id = ? AND conversation_id = ?" + lock)
                .params(appId, conversationId)
                .query((rs, n) -> conversation(rs))
                .optional();
    }

    /**
     * The conversations a user is a member of, most recently changed first, after the position
     * ({@code updatedAt}, {@code conversationId}) of the previous page's last one.
     */
    List<Conversation> conversationsOf(String appId, String userId, Instant afterUpdatedAt, String afterId, int limit) {
        String page = afterUpdatedAt == null ? ""
                : " AND (c.updated_at < ? OR (c.updated_at = ? AND c.conversation_id > ?))";
        List<Object> params = new ArrayList<>(List.of(appId, userId));
        if (afterUpdatedAt != null) {
            params.addAll(List.of(utc(afterUpdatedAt), utc(afterUpdatedAt), afterId));
        }
        params.add(limit);
        return jdbc.sql("SELECT " + COLUMNS.replaceAll("(\\w+)", "c.$1") + " FROM conversations c "
                        + "JOIN conversation_members m ON m.app_id = c.app_id AND m.conversation_id = c.conversation_id "
                        + "WHERE c.app_id = ? AND m.user_id = ?" + page
                        + " ORDER BY c.updated_at DESC, c.conversation_id LIMIT ?")
                .params(params)
                .query((rs, n) -> conversation(rs))
                .list();
    }

    /** Inserts the members not in the conversation yet, in one batch; returns those inserted. */
    List<Conversation.Member> insertMembers(String appId, String conversationId, List<Conversation.Member> members) {
        int[][] counts = batch.batchUpdate("""
                        INSERT INTO conversation_members (app_id, conversation_id, user_id, role, muted_until,
                            muted_all_exempt, joined_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", members, 1000,
                (ps, m) -> {
                    ps.setString(1, appId);
                    ps.setString(2, conversationId);
                    ps.setString(3, m.userId());
                    ps.setString(4, m.role().name());
                    ps.setObject(5, m.mutedUntil() == null ? null : utc(m.mutedUntil()));
                    ps.setBoolean(6, m.mutedAllExempt());
                    ps.setObject(7, utc(m.joinedAt()));
                });
        List<Conversation.Member> inserted = new ArrayList<>();
        int i = 0;
        for (int[] chunk : counts) {
            for (int count : chunk) {
                if (count > 0) {
                    inserted.add(members.get(i));
                }
                i++;
            }
        }
        return inserted;
    }

    void updateMember(String appId, String conversationId, Conversation.Member m) {
        jdbc.sql("""
                        UPDATE conversation_members SET role = ?, muted_until = ?, muted_all_exempt = ?
                        WHERE app_id = ? AND conversation_id = ? AND user_id = ?""")
                .params(m.role().name(), m.mutedUntil() == null ? null : utc(m.mutedUntil()), m.mutedAllExempt(),
                        appId, conversationId, m.userId())
                .update();
    }

    boolean removeMember(String appId, String conversationId, String userId) {
        return jdbc.sql("DELETE FROM conversation_members WHERE app_id = ? AND conversation_id = ? AND user_id = ?")
                .params(appId, conversationId, userId)
                .update() == 1;
    }

    Optional<Conversation.Member> findMember(String appId, String conversationId, String userId) {
        return jdbc.sql("SELECT user_id, role, muted_until, muted_all_exempt, joined_at FROM conversation_members "
                        + "WHERE app_id = ? AND conversation_id = ? AND user_id = ?")
                .params(appId, conversationId, userId)
                .query((rs, n) -> member(rs))
                .optional();
    }

    Optional<Conversation.Member> owner(String appId, String conversationId) {
        return jdbc.sql("SELECT user_id, role, muted_until, muted_all_exempt, joined_at FROM conversation_members "
                        + "WHERE app_id = ? AND conversation_id = ? AND role = 'OWNER'")
                .params(appId, conversationId)
                .query((rs, n) -> member(rs))
                .optional();
    }

    /** A page of members ordered by user id, after {@code afterUserId} (exclusive; null for the first page). */
    List<Conversation.Member> members(String appId, String conversationId, String afterUserId, int limit) {
        return jdbc.sql("SELECT user_id, role, muted_until, muted_all_exempt, joined_at FROM conversation_members "
                        + "WHERE app_id = ? AND conversation_id = ? AND user_id > ? ORDER BY user_id LIMIT ?")
                .params(appId, conversationId, afterUserId == null ? "" : afterUserId, limit)
                .query((rs, n) -> member(rs))
                .list();
    }

    /** The first {@code limit} conversations of the app, by id. */
    List<String> idsOf(String appId, int limit) {
        return jdbc.sql("SELECT conversation_id FROM conversations WHERE app_id = ? ORDER BY conversation_id LIMIT ?")
                .params(appId, limit)
                .query(String.class)
                .list();
    }

    List<String> memberIds(String appId, String conversationId) {
        return jdbc.sql("SELECT user_id FROM conversation_members WHERE app_id = ? AND conversation_id = ?")
                .params(appId, conversationId)
                .query(String.class)
                .list();
    }

    private static Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(rs.getString("app_id"), rs.getString("conversation_id"),
                Conversation.Type.valueOf(rs.getString("type")), rs.getString("name"), rs.getLong("version"),
                rs.getLong("member_count"), rs.getBoolean("archived"), JSON.readValue(rs.getString("metadata"), METADATA),
                Conversation.PostingPolicy.valueOf(rs.getString("posting_policy")),
                Conversation.AddMembersPolicy.valueOf(rs.getString("add_members_policy")), rs.getBoolean("muted_all"),
                rs.getString("source"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Conversation.Member member(ResultSet rs) throws SQLException {
        return new Conversation.Member(rs.getString("user_id"), Conversation.Role.valueOf(rs.getString("role")),
                instant(rs, "muted_until"), rs.getBoolean("muted_all_exempt"), instant(rs, "joined_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
