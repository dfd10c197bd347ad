package io.switchboard.push.webhooks.delivery;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The apps whose deliveries are paused ({@code webhook_paused_apps}), shared by every instance:
 * the dispatcher of each claims none of their deliveries. Each row carries the version of the app
 * state that paused it, so an older state read again (an instance replaying {@code auth.apps}
 * from the beginning) cannot resume an app a newer one paused.
 */
@Repository
class PausedApps {

    static final String SUSPENDED = "suspended";
    static final String DELETED = "deleted";

    private final JdbcClient jdbc;

    PausedApps(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Pauses the app as of {@code appVersion}; a pause already in place keeps its start.
     *
     * @return true if the app was not paused before
     */
    boolean pause(String appId, String reason, long appVersion, Instant now) {
        int inserted = jdbc.sql("INSERT INTO webhook_paused_apps (app_id, reason, app_version, paused_since) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(appId, reason, appVersion, Timestamp.from(now)).update();
        if (inserted == 0) {
            jdbc.sql("UPDATE webhook_paused_apps SET reason = ?, app_version = ? WHERE app_id = ? AND app_version < ?")
                    .params(reason, appVersion, appId, appVersion).update();
        }
        return inserted == 1;
    }

    /**
     * Ends the app's pause if a state older than {@code appVersion} began it (a deleted app stays
     * paused).
     *
     * @return when the pause began, if this ended it
     */
    Optional<Instant> resume(String appId, long appVersion) {
        Optional<Instant> since = jdbc.sql("SELECT paused_since FROM webhook_paused_apps "
                        + "WHERE app_id = ? AND app_version < ? FOR UPDATE")
                .params(appId, appVersion)
                .query((rs, row) -> rs.getTimestamp("paused_since").toInstant()).optional();
        since.ifPresent(started -> jdbc.sql("DELETE FROM webhook_paused_apps WHERE app_id = ?").param(appId).update());
        return since;
    }

    /** Why the app's deliveries are paused ({@link #SUSPENDED} or {@link #DELETED}), if they are. */
    Optional<String> reason(String appId) {
        return jdbc.sql("SELECT reason FROM webhook_paused_apps WHERE app_id = ?").param(appId)
                .query(String.class).optional();
    }
}
