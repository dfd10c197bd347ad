package io.switchboard.auth.apps;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code apps} table. */
@Repository
class AppStore {

    private static final RowMapper<App> APP = (rs, n) -> new App(
            rs.getString("app_id"),
            rs.getString("name"),
            App.AppStatus.valueOf(rs.getString("status")),
            rs.getString("scopes").isEmpty() ? List.of() : Arrays.asList(rs.getString("scopes").split(" ")),
            rs.getLong("version"),
            instant(rs.getObject("tokens_not_before", OffsetDateTime.class)),
            (Integer) rs.getObject("requests_per_second"),
            rs.getObject("max_user_token_ttl_seconds") == null ? null
                    : Duration.ofSeconds(rs.getLong("max_user_token_ttl_seconds")),
            (Integer) rs.getObject("max_devices_per_user"),
            instant(rs.getObject("created_at", OffsetDateTime.class)),
            instant(rs.getObject("updated_at", OffsetDateTime.class)));

    private final JdbcClient jdbc;

    AppStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(App app) {
        jdbc.sql("""
                        INSERT INTO apps (app_id, name, status, scopes, version, tokens_not_before, requests_per_second,
                                          max_user_token_ttl_seconds, max_devices_per_user, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(values(app))
                .update();
    }

    /** Writes the mutable fields of {@code app} (callers hold its row lock). */
    void update(App app) {
        jdbc.sql("""
                        UPDATE apps SET name = ?, status = ?, scopes = ?, tokens_not_before = ?,
                                        requests_per_second = ?, max_user_token_ttl_seconds = ?,
                                        max_devices_per_user = ?
                        WHERE app_id = ?""")
                .params(app.name(), app.status().name(), String.join(" ", app.scopes()), utc(app.tokensNotBefore()),
                        app.requestsPerSecond(), seconds(app.maxUserTokenTtl()), app.maxDevicesPerUser(), app.appId())
                .update();
    }

    /** Marks a change of the app (or of its certificates): next version, now. */
    void bumpVersion(String appId, Instant now) {
        jdbc.sql("UPDATE apps SET version = version + 1, updated_at = ? WHERE app_id = ?")
                .params(utc(now), appId)
                .update();
    }

    boolean delete(String appId) {
        return jdbc.sql("DELETE FROM apps WHERE app_id = ?").param(appId).update() == 1;
    }

    Optional<App> find(String appId) {
        return jdbc.sql("SELECT * FROM apps WHERE app_id = ?").param(appId).query(APP).optional();
    }

    /** Locks the app's row until the transaction ends. */
    Optional<App> findForUpdate(String appId) {
        return jdbc.sql("SELECT * FROM apps WHERE app_id = ? FOR UPDATE").param(appId).query(APP).optional();
    }

    List<App> list(int limit, String afterAppId) {
        return jdbc.sql("SELECT * FROM apps WHERE app_id > ? ORDER BY app_id LIMIT ?")
                .params(afterAppId == null ? "" : afterAppId, limit)
                .query(APP)
                .list();
    }

    private static Object[] values(App app) {
        return new Object[]{app.appId(), app.name(), app.status().name(), String.join(" ", app.scopes()), app.version(),
                utc(app.tokensNotBefore()), app.requestsPerSecond(), seconds(app.maxUserTokenTtl()),
                app.maxDevicesPerUser(), utc(app.createdAt()), utc(app.updatedAt())};
    }

    private static Long seconds(Duration duration) {
        return duration == null ? null : duration.toSeconds();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
