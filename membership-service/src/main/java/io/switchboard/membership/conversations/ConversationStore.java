package io.switchboard.membership.conversations;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The {@code conversations} and {@code conversation_members} tables. */
@Repository
class ConversationStore {

    private final JdbcClient jdbc;

    ConversationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a new conversation; {@code false} if one with the same id exists in the app. */
    boolean insert(Conversation conversation) {
        int inserted = jdbc.sql("""
                        INSERT INTO conversations (app_id, conversation_id, type, name, version, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(conversation.appId(), conversation.conversationId(), conversation.type().name(),
                        conversation.name(), conversation.version(), utc(conversation.createdAt()),
                        utc(conversation.updatedAt()))
                .update();
        if (inserted == 0) {
            return false;
        }
        addMembers(conversation.appId(), conversation.conversationId(), conversation.members(), conversation.createdAt());
        return true;
    }

    /** Adds members who are not in the conversation yet; returns how many were added. */
    int addMembers(String appId, String conversationId, List<Conversation.Member> members, Instant joinedAt) {
        int added = 0;
        for (Conversation.Member member : members) {
            added += jdbc.sql("""
                            INSERT INTO conversation_members (app_id, conversation_id, user_id, role, joined_at)
                            VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                    .params(appId, conversationId, member.userId(), member.role().name(), utc(joinedAt))
                    .update();
        }
        return added;
    }

    int removeMember(String appId, String conversationId, String userId) {
        return jdbc.sql("DELETE FROM conversation_members WHERE app_id = ? AND conversation_id = ? AND user_id = ?")
                .params(appId, conversationId, userId)
                .update();
    }

    /** Locks the conversation row for a change and returns its current state. */
    Optional<Conversation> findForUpdate(String appId, String conversationId) {
        return find(appId, conversationId, " FOR UPDATE");
    }

    Optional<Conversation> find(String appId, String conversationId) {
        return find(appId, conversationId, "");
    }

    void bumpVersion(String appId, String conversationId, long version, Instant updatedAt) {
        jdbc.sql("UPDATE conversations SET version = ?, updated_at = ? WHERE app_id = ? AND conversation_id = ?")
                .params(version, utc(updatedAt), appId, conversationId)
                .update();
    }

    private Optional<Conversation> find(String appId, String conversationId, String lock) {
        return jdbc.sql("SELECT type, name, version, created_at, updated_at FROM conversations "
                        + "WHERE app_id = ? AND conversation_id = ?" + lock)
                .params(appId, conversationId)
                .query((rs, n) -> new Conversation(appId, conversationId,
                        Conversation.Type.valueOf(rs.getString("type")), rs.getString("name"), rs.getLong("version"),
                        List.of(), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
                .optional()
                .map(c -> new Conversation(c.appId(), c.conversationId(), c.type(), c.name(), c.version(),
                        members(appId, conversationId), c.createdAt(), c.updatedAt()));
    }

    private List<Conversation.Member> members(String appId, String conversationId) {
        return jdbc.sql("SELECT user_id, role FROM conversation_members WHERE app_id = ? AND conversation_id = ? "
                        + "ORDER BY joined_at, user_id")
                .params(appId, conversationId)
                .query((rs, n) -> new Conversation.Member(rs.getString(1), Conversation.Role.valueOf(rs.getString(2))))
                .list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
