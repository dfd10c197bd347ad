package io.switchboard.membership.users;

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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code users} table. */
@Repository
class UserStore {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };
    private static final String COLUMNS = "app_id, user_id, display_name, email, locale, metadata, active, "
            + "directory_updated_at, version, created_at, updated_at";

    private final JdbcClient jdbc;

    UserStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a new user; {@code false} if the app has one with this id. */
    boolean insert(User u) {
        return jdbc.sql("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(u.appId(), u.userId(), u.displayName(), u.email(), u.locale(),
                        JSON.writeValueAsString(u.metadata()), u.active(), utc(u.directoryUpdatedAt()), u.version(),
                        utc(u.createdAt()), utc(u.updatedAt()))
                .update() == 1;
    }

    void update(User u) {
        jdbc.sql("""
                        UPDATE users SET display_name = ?, email = ?, locale = ?, metadata = ?, active = ?,
                            directory_updated_at = ?, version = ?, updated_at = ?
                        WHERE app_id = ? AND user_id = ?""")
                .params(u.displayName(), u.email(), u.locale(), JSON.writeValueAsString(u.metadata()), u.active(),
                        utc(u.directoryUpdatedAt()), u.version(), utc(u.updatedAt()), u.appId(), u.userId())
                .update();
    }

    /** Remembers the directory's time of a record that changed no field, so older ones stay ignored. */
    void recordDirectoryUpdate(String appId, String userId, Instant directoryUpdatedAt) {
        jdbc.sql("UPDATE users SET directory_updated_at = ? WHERE app_id = ? AND user_id = ?")
                .params(utc(directoryUpdatedAt), appId, userId)
                .update();
    }

    /** The user, locked for a change. */
    Optional<User> findForUpdate(String appId, String userId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE app_id = ? AND user_id = ? FOR UPDATE")
                .params(appId, userId)
                .query((rs, n) -> user(rs))
                .optional();
    }

    Optional<User> find(String appId, String userId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE app_id = ? AND user_id = ?")
                .params(appId, userId)
                .query((rs, n) -> user(rs))
                .optional();
    }

    /** Of {@code userIds}, the display names of those that exist and have one, by user id. */
    Map<String, String> displayNames(String appId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("SELECT user_id, display_name FROM users WHERE app_id = ? AND display_name IS NOT NULL "
                        + "AND user_id IN (" + placeholders(userIds) + ")")
                .params(appAndIds(appId, userIds))
                .query((rs, n) -> Map.entry(rs.getString("user_id"), rs.getString("display_name")))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Of {@code userIds}, those that exist and are active. */
    List<String> active(String appId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT user_id FROM users WHERE app_id = ? AND active AND user_id IN (" + placeholders(userIds) + ")")
                .params(appAndIds(appId, userIds))
                .query(String.class)
                .list();
    }

    /**
     * A page of users by id after {@code afterUserId}; {@code search} (optional) matches the start of
     * the id or of the display name, ignoring case.
     */
    /** The first {@code limit} users of the app, by id. */
    List<String> idsOf(String appId, int limit) {
        return jdbc.sql("SELECT user_id FROM users WHERE app_id = ? ORDER BY user_id LIMIT ?")
                .params(appId, limit)
                .query(String.class)
                .list();
    }

    void delete(String appId, String userId) {
        jdbc.sql("DELETE FROM users WHERE app_id = ? AND user_id = ?").params(appId, userId).update();
    }

    List<User> list(String appId, String search, String afterUserId, boolean includeInactive, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM users WHERE app_id = ? AND user_id > ?");
        List<Object> params = new ArrayList<>(List.of(appId, afterUserId == null ? "" : afterUserId));
        if (!includeInactive) {
            sql.append(" AND active");
        }
        if (search != null && !search.isBlank()) {
            String prefix = escapeLike(search.toLowerCase(java.util.Locale.ROOT)) + "%";
            sql.append(" AND (lower(user_id) LIKE ? OR lower(display_name) LIKE ?)");
            params.add(prefix);
            params.add(prefix);
        }
        sql.append(" ORDER BY user_id LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> user(rs)).list();
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("app_id"), rs.getString("user_id"), rs.getString("display_name"),
                rs.getString("email"), rs.getString("locale"), JSON.readValue(rs.getString("metadata"), METADATA),
                rs.getBoolean("active"),
                instant(rs, "directory_updated_at"), rs.getLong("version"), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String placeholders(Collection<String> userIds) {
        return String.join(", ", java.util.Collections.nCopies(userIds.size(), "?"));
    }

    private static List<Object> appAndIds(String appId, Collection<String> userIds) {
        List<Object> params = new ArrayList<>(userIds.size() + 1);
        params.add(appId);
        params.addAll(userIds);
        return params;
    }
}
