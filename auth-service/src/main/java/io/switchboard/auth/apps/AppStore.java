package io.switchboard.auth.apps;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

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
            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            rs.getObject("updated_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;

    AppStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(App app, String certificateHash) {
        jdbc.sql("""
                        INSERT INTO apps (app_id, name, status, scopes, certificate_hash, version, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(app.appId(), app.name(), app.status().name(), String.join(" ", app.scopes()), certificateHash,
                        app.version(), utc(app.createdAt()), utc(app.updatedAt()))
                .update();
    }

    Optional<App> find(String appId) {
        return jdbc.sql("SELECT * FROM apps WHERE app_id = ?").param(appId).query(APP).optional();
    }

    Optional<String> certificateHash(String appId) {
        return jdbc.sql("SELECT certificate_hash FROM apps WHERE app_id = ?").param(appId).query(String.class).optional();
    }

    List<App> list(int limit, String afterAppId) {
        return jdbc.sql("SELECT * FROM apps WHERE app_id > ? ORDER BY app_id LIMIT ?")
                .params(afterAppId == null ? "" : afterAppId, limit)
                .query(APP)
                .list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
