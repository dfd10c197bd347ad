package io.switchboard.message.routing.noise;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * "At most N per window" per rule, recipient and key, counted in fixed windows aligned to the
 * epoch. The count is written in the routing transaction, so a notification and its count commit
 * together: a routing retry after a failure neither double-counts nor loses a send.
 */
@Component
public class Throttles {

    private final JdbcClient jdbc;

    Throttles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The throttle of one rule for one recipient and key. */
    public record Bucket(String appId, String ruleId, String recipient, String key, int max, Duration per) {
        public Bucket {
            key = Keys.bounded(key);
        }
    }

    private record Window(Instant start, int sent) {
    }

    /** Counts one notification and says whether it may go; joins the caller's transaction (the row stays locked). */
    public boolean admit(Bucket bucket, Instant now) {
        Instant start = windowStart(now, bucket.per());
        jdbc.sql("""
                        INSERT INTO routing_throttle (app_id, rule_id, recipient, throttle_key, window_start, expires_at, sent)
                        VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING""")
                .params(bucket.appId(), bucket.ruleId(), bucket.recipient(), bucket.key(), utc(start),
                        utc(start.plus(bucket.per())))
                .update();
        Window window = window(bucket, true).orElseThrow();
        int sent = window.start().isBefore(start) ? 0 : window.sent();
        if (sent >= bucket.max()) {
            return false;
        }
        jdbc.sql("""
                        UPDATE routing_throttle SET window_start = ?, expires_at = ?, sent = ?
                        WHERE app_id = ? AND rule_id = ? AND recipient = ? AND throttle_key = ?""")
                .params(utc(start), utc(start.plus(bucket.per())), sent + 1, bucket.appId(), bucket.ruleId(),
                        bucket.recipient(), bucket.key())
                .update();
        return true;
    }

    /** Whether a notification would go now, without counting it (dry runs). */
    public boolean wouldAdmit(Bucket bucket, Instant now) {
        Instant start = windowStart(now, bucket.per());
        return window(bucket, false).filter(w -> !w.start().isBefore(start)).map(w -> w.sent() < bucket.max()).orElse(true);
    }

    /** Windows that ended are of no use; removed every minute. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    void removeExpired() {
        jdbc.sql("DELETE FROM routing_throttle WHERE expires_at < ?").param(utc(Instant.now())).update();
    }

    private Optional<Window> window(Bucket bucket, boolean lock) {
        return jdbc.sql("SELECT window_start, sent FROM routing_throttle WHERE app_id = ? AND rule_id = ? AND recipient = ?"
                        + " AND throttle_key = ?" + (lock ? " FOR UPDATE" : ""))
                .params(bucket.appId(), bucket.ruleId(), bucket.recipient(), bucket.key())
                .query((rs, n) -> new Window(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getInt(2)))
                .optional();
    }

    private static Instant windowStart(Instant now, Duration per) {
        long millis = now.toEpochMilli();
        return Instant.ofEpochMilli(millis - Math.floorMod(millis, per.toMillis()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
