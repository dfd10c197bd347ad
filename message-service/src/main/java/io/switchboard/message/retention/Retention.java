package io.switchboard.message.retention;

import io.switchboard.message.MessageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long each app keeps its messages, and the job that removes older ones. An app's own
 * retention wins over the platform default ({@code switchboard.messages.default-retention}); with
 * neither, messages are kept. Removed messages leave history (with their earlier versions and
 * per-user hides); seq is never reused, so history of such a conversation starts at a later seq.
 */
@Service
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final Duration defaultRetention;

    Retention(JdbcClient jdbc, JdbcTemplate batches, TransactionTemplate transactions, MessageProperties properties) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.defaultRetention = properties.defaultRetention();
    }

    /** The app's own retention, if it set one. */
    public Optional<Duration> ofApp(String appId) {
        return jdbc.sql("SELECT retention_seconds FROM app_message_settings WHERE app_id = ?")
                .param(appId).query(Long.class).optional().map(Duration::ofSeconds);
    }

    /** The retention that applies to the app: its own, else the default; empty: kept forever. */
    public Optional<Duration> effective(String appId) {
        return ofApp(appId).or(() -> Optional.ofNullable(defaultRetention));
    }

    /** Sets the app's retention; {@code null} returns it to the platform default. */
    public void set(String appId, Duration retention) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Long seconds = retention == null ? null : retention.toSeconds();
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("INSERT INTO app_message_settings (app_id, retention_seconds, updated_at) VALUES (?, ?, ?) "
                            + "ON CONFLICT DO NOTHING")
                    .params(appId, seconds, now).update();
            jdbc.sql("UPDATE app_message_settings SET retention_seconds = ?, updated_at = ? WHERE app_id = ?")
                    .params(seconds, now, appId).update();
        });
    }

    /** Removes every app's messages older than its retention, in batches. */
    @Scheduled(fixedDelayString = "${switchboard.messages.retention-interval:5m}", initialDelay = 30_000)
    public void removeExpired() {
        Map<String, Long> own = new HashMap<>();
        jdbc.sql("SELECT app_id, retention_seconds FROM app_message_settings WHERE retention_seconds IS NOT NULL")
                .query((ResultSet rs) -> {
                    own.put(rs.getString(1), rs.getLong(2));
                });
        List<String> apps = defaultRetention != null
                ? jdbc.sql("SELECT DISTINCT app_id FROM conversation_sequences").query(String.class).list()
                : List.copyOf(own.keySet());
        for (String appId : apps) {
            Duration retention = own.containsKey(appId) ? Duration.ofSeconds(own.get(appId)) : defaultRetention;
            removeExpired(appId, Instant.now().minus(retention));
        }
    }

    /** Removes the app's messages created before {@code cutoff}; returns how many. */
    int removeExpired(String appId, Instant cutoff) {
        int total = 0;
        int removed;
        do {
            removed = transactions.execute(tx -> removeBatch(appId, cutoff));
            total += removed;
        } while (removed == BATCH);
        if (total > 0) {
            log.info("Retention removed {} messages of app {} created before {}", total, appId, cutoff);
        }
        return total;
    }

    private int removeBatch(String appId, Instant cutoff) {
        List<Object[]> keys = jdbc.sql("SELECT conversation_id, seq FROM messages WHERE app_id = ? AND created_at < ? LIMIT ?")
                .params(appId, cutoff.atOffset(ZoneOffset.UTC), BATCH)
                .query((rs, n) -> new Object[]{appId, rs.getString(1), rs.getLong(2)})
                .list();
        if (!keys.isEmpty()) {
            for (String table : List.of("message_versions", "hidden_messages", "messages")) {
                batches.batchUpdate("DELETE FROM " + table + " WHERE app_id = ? AND conversation_id = ? AND seq = ?", keys);
            }
        }
        return keys.size();
    }
}
