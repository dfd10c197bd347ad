package io.switchboard.membership.directory;

import org.springframework.jdbc.core.JdbcTemplate;
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
import java.util.List;
import java.util.Optional;

/** The {@code directory_groups} and {@code directory_group_members} tables. */
@Repository
class DirectoryGroupStore {

    /** A department and every department below it. */
    private static final String SUBTREE = """
            WITH RECURSIVE subtree (group_id) AS (
                SELECT group_id FROM directory_groups WHERE app_id = ? AND group_id = ?
                UNION ALL
                SELECT g.group_id FROM directory_groups g JOIN subtree s ON g.parent_id = s.group_id
                WHERE g.app_id = ?)
            """;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    DirectoryGroupStore(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    boolean insert(DirectoryGroup g) {
        return jdbc.sql("INSERT INTO directory_groups (app_id, group_id, kind, name, parent_id, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(g.appId(), g.groupId(), g.kind().name(), g.name(), g.parentId(), utc(g.createdAt()),
                        utc(g.updatedAt()))
                .update() == 1;
    }

    void update(DirectoryGroup g) {
        jdbc.sql("UPDATE directory_groups SET name = ?, parent_id = ?, updated_at = ? WHERE app_id = ? AND group_id = ?")
                .params(g.name(), g.parentId(), utc(g.updatedAt()), g.appId(), g.groupId())
                .update();
    }

    void delete(String appId, String groupId) {
        jdbc.sql("DELETE FROM directory_groups WHERE app_id = ? AND group_id = ?").params(appId, groupId).update();
    }

    /** The group, its row locked until the transaction ends. */
    Optional<DirectoryGroup> findForUpdate(String appId, String groupId) {
        return jdbc.sql("SELECT * FROM directory_groups WHERE app_id = ? AND group_id = ? FOR UPDATE")
                .params(appId, groupId)
                .query((rs, n) -> group(rs))
                .optional();
    }

    /** Locks the rows of these groups until the transaction ends, in id order. */
    void lock(String appId, Collection<String> groupIds) {
        List<Object> params = new ArrayList<>(List.of(appId));
        params.addAll(groupIds);
        jdbc.sql("SELECT group_id FROM directory_groups WHERE app_id = ? AND group_id IN (" + placeholders(groupIds)
                        + ") ORDER BY group_id FOR UPDATE")
                .params(params)
                .query(String.class)
                .list();
    }

    /** The department and every department below it. */
    List<String> subtree(String appId, String groupId) {
        return jdbc.sql(SUBTREE + "SELECT group_id FROM subtree")
                .params(appId, groupId, appId)
                .query(String.class)
                .list();
    }

    Optional<DirectoryGroup> find(String appId, String groupId) {
        return jdbc.sql("SELECT * FROM directory_groups WHERE app_id = ? AND group_id = ?")
                .params(appId, groupId)
                .query((rs, n) -> group(rs))
                .optional();
    }

    List<String> children(String appId, String groupId) {
        return jdbc.sql("SELECT group_id FROM directory_groups WHERE app_id = ? AND parent_id = ? ORDER BY group_id")
                .params(appId, groupId)
                .query(String.class)
                .list();
    }

    /** The group and its ancestors, nearest first. */
    List<String> selfAndAncestors(String appId, String groupId) {
        List<String> chain = new ArrayList<>();
        for (String id = groupId; id != null && !chain.contains(id); ) {
            chain.add(id);
            id = find(appId, id).map(DirectoryGroup::parentId).orElse(null);
        }
        return chain;
    }

    /**
     * Inserts the members not in the group yet; returns those added (a driver that does not report
     * per-row counts makes every one count as added).
     */
    List<String> addMembers(String appId, String groupId, List<String> userIds) {
        List<String> added = new ArrayList<>();
        int index = 0;
        for (int[] chunk : batch.batchUpdate("INSERT INTO directory_group_members (app_id, group_id, user_id) "
                + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", userIds, 1000, (ps, userId) -> {
            ps.setString(1, appId);
            ps.setString(2, groupId);
            ps.setString(3, userId);
        })) {
            for (int count : chunk) {
                if (count != 0) {
                    added.add(userIds.get(index));
                }
                index++;
            }
        }
        return added;
    }

    boolean removeMember(String appId, String groupId, String userId) {
        return jdbc.sql("DELETE FROM directory_group_members WHERE app_id = ? AND group_id = ? AND user_id = ?")
                .params(appId, groupId, userId)
                .update() == 1;
    }

    /** Members of the group (for a department, of its whole subtree), by user id, after {@code afterUserId}. */
    List<String> members(String appId, String groupId, boolean subtree, String afterUserId, int limit) {
        String groups = subtree ? SUBTREE + "SELECT DISTINCT m.user_id FROM directory_group_members m "
                + "JOIN subtree s ON m.group_id = s.group_id WHERE m.app_id = ? AND m.user_id > ? ORDER BY m.user_id LIMIT ?"
                : "SELECT user_id FROM directory_group_members WHERE app_id = ? AND group_id = ? AND user_id > ? "
                + "ORDER BY user_id LIMIT ?";
        List<Object> params = subtree
                ? List.of(appId, groupId, appId, appId, afterUserId == null ? "" : afterUserId, limit)
                : List.of(appId, groupId, afterUserId == null ? "" : afterUserId, limit);
        return jdbc.sql(groups).params(params).query(String.class).list();
    }

    /** The groups of one kind the user is a direct member of. */
    List<String> groupsOf(String appId, String userId, DirectoryGroup.Kind kind) {
        return jdbc.sql("SELECT m.group_id FROM directory_group_members m JOIN directory_groups g "
                        + "ON g.app_id = m.app_id AND g.group_id = m.group_id "
                        + "WHERE m.app_id = ? AND m.user_id = ? AND g.kind = ?")
                .params(appId, userId, kind.name())
                .query(String.class)
                .list();
    }

    /** Whether the user is a member of the group's subtree. */
    boolean inSubtree(String appId, String groupId, String userId) {
        return jdbc.sql(SUBTREE + "SELECT COUNT(*) FROM directory_group_members m JOIN subtree s ON m.group_id = s.group_id "
                        + "WHERE m.app_id = ? AND m.user_id = ?")
                .params(appId, groupId, appId, appId, userId)
                .query(Long.class)
                .single() > 0;
    }

    /** Group conversations that follow one of {@code groupIds}. */
    List<String> followingConversations(String appId, List<String> groupIds) {
        List<Object> params = new ArrayList<>(List.of(appId));
        params.addAll(groupIds);
        return jdbc.sql("SELECT conversation_id FROM conversations WHERE app_id = ? AND directory_group_id IN ("
                        + placeholders(groupIds) + ")")
                .params(params)
                .query(String.class)
                .list();
    }

    /** Makes a conversation follow a group. */
    void follow(String appId, String conversationId, String groupId) {
        jdbc.sql("UPDATE conversations SET directory_group_id = ? WHERE app_id = ? AND conversation_id = ?")
                .params(groupId, appId, conversationId)
                .update();
    }

    private static DirectoryGroup group(ResultSet rs) throws SQLException {
        return new DirectoryGroup(rs.getString("app_id"), rs.getString("group_id"),
                DirectoryGroup.Kind.valueOf(rs.getString("kind")), rs.getString("name"), rs.getString("parent_id"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static String placeholders(Collection<String> values) {
        return String.join(", ", Collections.nCopies(values.size(), "?"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
