package io.switchboard.platform.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * Outbox rows that cannot be sent because of the row itself (too large for the broker, not
 * decodable, refused by the schema registry): each failure counts, and after
 * {@code max-attempts} the row moves to {@code outbox_dead_letters} with the reason, so the rows
 * behind it flow on. An operator replays them (back into the outbox) once the cause is fixed.
 */
public class OutboxDeadLetters {

    private static final Logger log = LoggerFactory.getLogger(OutboxDeadLetters.class);
    /** Counter of outbox rows moved aside ({@code switchboard_outbox_dead_lettered_total}), tagged topic and reason. */
    static final String METRIC = "switchboard.outbox.dead.lettered";
    private static final int ERROR_LENGTH = 1000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;
    private final int maxAttempts;

    OutboxDeadLetters(JdbcClient jdbc, TransactionTemplate transactions, MeterRegistry meters, int maxAttempts) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.meters = meters;
        this.maxAttempts = maxAttempts;
    }

    /**
     * The row failed once more because of itself; in the relay's transaction.
     *
     * @return true when it was moved to the dead letters (its last attempt)
     */
    boolean failed(long id, String topic, int attemptsBefore, String reason, Throwable error) {
        String message = error.toString();
        String truncated = message.length() > ERROR_LENGTH ? message.substring(0, ERROR_LENGTH) : message;
        if (attemptsBefore + 1 < maxAttempts) {
            jdbc.sql("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?").params(truncated, id).update();
            log.warn("Outbox row {} for {} could not be sent (attempt {} of {}): {}", id, topic, attemptsBefore + 1,
                    maxAttempts, truncated);
            return false;
        }
        jdbc.sql("""
                        INSERT INTO outbox_dead_letters (id, topic, record_key, value_type, value_bytes, created_at,
                                                         failed_at, attempts, reason, error)
                        SELECT id, topic, record_key, value_type, value_bytes, created_at, ?, attempts + 1, ?, ?
                        FROM outbox WHERE id = ?""")
                .params(OffsetDateTime.now(ZoneOffset.UTC), reason, truncated, id)
                .update();
        jdbc.sql("DELETE FROM outbox WHERE id = ?").param(id).update();
        meters.counter(METRIC, "topic", topic, "reason", reason).increment();
        log.error("Outbox row {} for {} moved to outbox_dead_letters ({}) after {} attempts; the rows behind it go on: {}",
                id, topic, reason, maxAttempts, truncated);
        return true;
    }

    /** Rows set aside, by topic and reason. */
    public Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        jdbc.sql("SELECT topic, reason, count(*) FROM outbox_dead_letters GROUP BY topic, reason")
                .query((ResultSet rs) -> {
                    counts.computeIfAbsent(rs.getString(1), topic -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                });
        return counts;
    }

    /**
     * Moves the rows set aside for {@code topic} (all topics when null) with {@code reason} (any when
     * null) back into the outbox, after every row waiting there, with their attempts reset.
     *
     * @return how many it moved (or would move, with {@code dryRun})
     */
    public int replay(String topic, String reason, boolean dryRun) {
        String where = " WHERE (CAST(? AS VARCHAR(249)) IS NULL OR topic = ?) AND (CAST(? AS VARCHAR(64)) IS NULL OR reason = ?)";
        Object[] params = {topic, topic, reason, reason};
        if (dryRun) {
            return jdbc.sql("SELECT count(*) FROM outbox_dead_letters" + where).params(params).query(Integer.class).single();
        }
        Integer moved = transactions.execute(tx -> {
            int inserted = jdbc.sql("INSERT INTO outbox (topic, record_key, value_type, value_bytes, created_at) "
                            + "SELECT topic, record_key, value_type, value_bytes, created_at FROM outbox_dead_letters"
                            + where + " ORDER BY id")
                    .params(params).update();
            jdbc.sql("DELETE FROM outbox_dead_letters" + where).params(params).update();
            return inserted;
        });
        log.info("Replayed {} outbox dead letters (topic {}, reason {}) at {}", moved, topic, reason, Instant.now());
        return moved == null ? 0 : moved;
    }
}
