package io.switchboard.message.routing.preferences;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Users' notification preferences per source and event type, which routing honours. Stored with
 * the empty string for "every type", so the primary key covers both kinds.
 */
@Service
public class NotificationPreferences {

    static final int MAX_PER_USER = 200;
    private static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(1);

    private final JdbcClient jdbc;

    NotificationPreferences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Preference> of(String appId, String userId) {
        return jdbc.sql("""
                        SELECT source, event_type, mode, digest_window_seconds FROM notification_preferences
                        WHERE app_id = ? AND user_id = ? ORDER BY source, event_type""")
                .params(appId, userId)
                .query((rs, n) -> new Preference(rs.getString(1), rs.getString(2).isEmpty() ? null : rs.getString(2),
                        Preference.Mode.valueOf(rs.getString(3)),
                        rs.getObject(4) == null ? null : Duration.ofSeconds(rs.getLong(4))))
                .list();
    }

    /** Replaces all of a user's preferences. */
    @Transactional
    void replace(String appId, String userId, List<Preference> preferences) {
        check(preferences);
        jdbc.sql("DELETE FROM notification_preferences WHERE app_id = ? AND user_id = ?").params(appId, userId).update();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (Preference p : preferences) {
            jdbc.sql("""
                            INSERT INTO notification_preferences
                            (app_id, user_id, source, event_type, mode, digest_window_seconds, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)""")
                    .params(appId, userId, p.source(), p.eventType() == null ? "" : p.eventType(), p.mode().name(),
                            p.mode() == Preference.Mode.DIGEST ? p.effectiveDigestWindow().toSeconds() : null, now)
                    .update();
        }
    }

    /**
     * The choice that applies, for an event of {@code source} and {@code eventType}, to each user
     * of the app who made one: the type-specific choice, else the source-wide one. Users who are
     * absent get everything.
     */
    public Map<String, Preference> chosen(String appId, String source, String eventType) {
        Map<String, Preference> byUser = new HashMap<>();
        jdbc.sql("""
                        SELECT user_id, event_type, mode, digest_window_seconds FROM notification_preferences
                        WHERE app_id = ? AND source = ? AND event_type IN ('', ?)""")
                .params(appId, source, eventType)
                .query(rs -> {
                    String type = rs.getString(2);
                    Preference preference = new Preference(source, type.isEmpty() ? null : type,
                            Preference.Mode.valueOf(rs.getString(3)),
                            rs.getObject(4) == null ? null : Duration.ofSeconds(rs.getLong(4)));
                    byUser.merge(rs.getString(1), preference, (a, b) -> a.eventType() != null ? a : b);
                });
        return byUser;
    }

    private static void check(List<Preference> preferences) {
        if (preferences.size() > MAX_PER_USER) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "At most " + MAX_PER_USER + " preferences per user");
        }
        Set<String> seen = new HashSet<>();
        for (Preference p : preferences) {
            if (!seen.add(p.source() + "\n" + (p.eventType() == null ? "" : p.eventType()))) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "Two preferences for source " + p.source()
                        + (p.eventType() == null ? "" : " and event type " + p.eventType()));
            }
            if (p.digestWindow() != null && (p.mode() != Preference.Mode.DIGEST
                    || p.digestWindow().compareTo(MIN_WINDOW) < 0 || p.digestWindow().compareTo(MAX_WINDOW) > 0)) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED,
                        "digestWindow goes with mode DIGEST and lies between " + MIN_WINDOW + " and " + MAX_WINDOW);
            }
        }
    }
}
