package io.switchboard.membership.userstates;

import io.switchboard.events.membership.UserState;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads users' published state from the {@code users} table and the directory tables (the user's
 * departments with every department above them, and tags), and keeps the queue of users whose
 * state is still to be published ({@code user_state_backfill}).
 */
@Repository
class UserStateStore {

    /** The direct memberships of some users, and for departments every ancestor (tags have no parent). */
    private static final String GROUPS = """
            WITH RECURSIVE memberships (user_id, group_id, kind) AS (
                SELECT m.user_id, m.group_id, g.kind FROM directory_group_members m
                JOIN directory_groups g ON g.app_id = m.app_id AND g.group_id = m.group_id
                WHERE m.app_id = ? AND m.user_id IN (%s)
                UNION ALL
                SELECT s.user_id, g.parent_id, s.kind FROM memberships s
                JOIN directory_groups g ON g.app_id = ? AND g.group_id = s.group_id
                WHERE g.parent_id IS NOT NULL)
            SELECT DISTINCT user_id, group_id, kind FROM memberships
            """;
    /** The {@code directory_groups.kind} of a tag; every other group is a department. */
    private static final String TAG = "TAG";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    UserStateStore(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** One version more for each of the users (in id order, see {@link UserStates}). */
    void raiseVersions(String appId, List<String> userIds, Instant now) {
        batch.batchUpdate("UPDATE users SET version = version + 1, updated_at = ? WHERE app_id = ? AND user_id = ?",
                userIds, userIds.size(), (ps, userId) -> {
                    ps.setObject(1, now.atOffset(ZoneOffset.UTC));
                    ps.setString(2, appId);
                    ps.setString(3, userId);
                });
    }

    /** The states of those of {@code userIds} that exist, by user id; their rows stay locked until the transaction ends. */
    List<UserState> lockedStates(String appId, List<String> userIds) {
        List<Object> params = new ArrayList<>(userIds.size() + 1);
        params.add(appId);
        params.addAll(userIds);
        List<UserState.Builder> users = jdbc.sql("SELECT user_id, display_name, locale, active, version, updated_at "
                        + "FROM users WHERE app_id = ? AND user_id IN (" + placeholders(userIds) + ") "
                        + "ORDER BY user_id FOR UPDATE")
                .params(params)
                .query((rs, n) -> user(appId, rs))
                .list();
        Map<String, Groups> groups = groups(appId, userIds);
        return users.stream().map(user -> {
            Groups of = groups.getOrDefault(user.getUserId(), new Groups());
            return user.setDepartmentIds(List.copyOf(of.departments)).setTags(List.copyOf(of.tags)).build();
        }).toList();
    }

    /** Up to {@code limit} users waiting to be published, by app, locked; other instances skip them. */
    Map<String, List<String>> queued(int limit) {
        Map<String, List<String>> byApp = new LinkedHashMap<>();
        jdbc.sql("SELECT app_id, user_id FROM user_state_backfill ORDER BY app_id, user_id LIMIT ? FOR UPDATE SKIP LOCKED")
                .param(limit)
                .query(rs -> {
                    byApp.computeIfAbsent(rs.getString("app_id"), k -> new ArrayList<>()).add(rs.getString("user_id"));
                });
        return byApp;
    }

    void dequeue(String appId, List<String> userIds) {
        batch.batchUpdate("DELETE FROM user_state_backfill WHERE app_id = ? AND user_id = ?", userIds, userIds.size(),
                (ps, userId) -> {
                    ps.setString(1, appId);
                    ps.setString(2, userId);
                });
    }

    private Map<String, Groups> groups(String appId, List<String> userIds) {
        List<Object> params = new ArrayList<>(userIds.size() + 2);
        params.add(appId);
        params.addAll(userIds);
        params.add(appId);
        Map<String, Groups> groups = new HashMap<>();
        jdbc.sql(GROUPS.formatted(placeholders(userIds)))
                .params(params)
                .query(rs -> {
                    Groups of = groups.computeIfAbsent(rs.getString("user_id"), k -> new Groups());
                    (TAG.equals(rs.getString("kind")) ? of.tags : of.departments).add(rs.getString("group_id"));
                });
        return groups;
    }

    private static UserState.Builder user(String appId, ResultSet rs) throws SQLException {
        return UserState.newBuilder()
                .setAppId(appId)
                .setUserId(rs.getString("user_id"))
                .setDisplayName(rs.getString("display_name"))
                .setLocale(rs.getString("locale"))
                .setActive(rs.getBoolean("active"))
                .setVersion(rs.getLong("version"))
                .setUpdatedAt(rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static String placeholders(List<String> values) {
        return String.join(", ", Collections.nCopies(values.size(), "?"));
    }

    /** A user's departments (ancestors included) and tags, sorted so equal states encode equally. */
    private static final class Groups {
        final SortedSet<String> departments = new TreeSet<>();
        final SortedSet<String> tags = new TreeSet<>();
    }
}
