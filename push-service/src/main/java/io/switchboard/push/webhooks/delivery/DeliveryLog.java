package io.switchboard.push.webhooks.delivery;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.push.webhooks.WebhookProperties;
import io.switchboard.push.webhooks.endpoints.Endpoint;
import io.switchboard.push.webhooks.endpoints.EndpointStore;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an app can see and do with its deliveries: the log (newest first, with every attempt) and
 * the replay of failed (dead-lettered) ones, one or all since a time. Scoped to the caller's app.
 */
@Component
class DeliveryLog {

    private final JdbcClient jdbc;
    private final EndpointStore endpoints;
    private final DispatchSignal signal;
    private final int maxAttempts;

    DeliveryLog(JdbcClient jdbc, EndpointStore endpoints, DispatchSignal signal, WebhookProperties properties) {
        this.jdbc = jdbc;
        this.endpoints = endpoints;
        this.signal = signal;
        this.maxAttempts = properties.maxAttempts();
    }

    /** A delivery as the log shows it; {@code status} is pending, delivered or failed. */
    record Entry(long seq, String deliveryId, String endpointId, String eventId, String eventType, String status,
                 int attempts, Instant createdAt, Instant nextAttemptAt, Instant completedAt, String failureReason) {
    }

    record Attempt(int attempt, Instant startedAt, long durationMs, Integer statusCode, String outcome, String detail) {
    }

    /**
     * A page of the log, newest first.
     *
     * @param status     pending, delivered or failed; null for all
     * @param beforeSeq  the cursor: entries recorded before this one
     */
    List<Entry> list(String appId, String endpointId, String status, Instant since, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE app_id = :app");
        var params = new java.util.LinkedHashMap<String, Object>();
        params.put("app", appId);
        if (endpointId != null) {
            sql.append(" AND endpoint_id = :endpoint");
            params.put("endpoint", endpointId);
        }
        if (status != null) {
            sql.append(" AND status = :status");
            params.put("status", status.toUpperCase(Locale.ROOT));
        }
        if (since != null) {
            sql.append(" AND created_at >= :since");
            params.put("since", Timestamp.from(since));
        }
        if (beforeSeq != null) {
            sql.append(" AND seq < :before");
            params.put("before", beforeSeq);
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        params.put("limit", limit);
        return jdbc.sql(sql.toString()).params(params).query(ENTRIES).list();
    }

    Entry get(String appId, String deliveryId) {
        return find(appId, deliveryId).orElseThrow(() -> new ApiException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND,
                "No webhook delivery " + deliveryId));
    }

    List<Attempt> attempts(String deliveryId) {
        return jdbc.sql("SELECT attempt, started_at, duration_ms, status_code, outcome, detail FROM webhook_attempts "
                        + "WHERE delivery_id = ? ORDER BY attempt").param(deliveryId)
                .query((rs, row) -> new Attempt(rs.getInt("attempt"), rs.getTimestamp("started_at").toInstant(),
                        rs.getLong("duration_ms"), (Integer) rs.getObject("status_code"), rs.getString("outcome"),
                        rs.getString("detail")))
                .list();
    }

    /**
     * Replays one failed delivery: pending again, due now, with {@code max-attempts} more attempts
     * (numbered on from its last). Its endpoint must be enabled.
     */
    @Transactional
    Entry replay(String appId, String deliveryId) {
        Entry entry = get(appId, deliveryId);
        if (!"failed".equals(entry.status())) {
            throw new ApiException(ErrorCode.WEBHOOK_DELIVERY_NOT_FAILED, "Delivery " + deliveryId + " is " + entry.status());
        }
        requireEnabled(appId, entry.endpointId());
        jdbc.sql("UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = ?, attempt_limit = attempts + ?, "
                        + "completed_at = NULL, failure_reason = NULL WHERE delivery_id = ? AND status = 'FAILED'")
                .params(Timestamp.from(Instant.now()), maxAttempts, deliveryId).update();
        signal.wake();
        return get(appId, deliveryId);
    }

    /**
     * Replays every failed delivery of the app (or of one endpoint) that failed at or after
     * {@code since}; deliveries of disabled endpoints stay failed. Returns how many were replayed.
     */
    @Transactional
    int replayFailedSince(String appId, String endpointId, Instant since) {
        List<String> enabled = new ArrayList<>();
        if (endpointId != null) {
            requireEnabled(appId, endpointId);
            enabled.add(endpointId);
        } else {
            endpoints.enabledOf(List.of(appId)).stream().map(Endpoint::endpointId).forEach(enabled::add);
        }
        if (enabled.isEmpty()) {
            return 0;
        }
        int replayed = jdbc.sql("UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = :now, "
                        + "attempt_limit = attempts + :more, completed_at = NULL, failure_reason = NULL "
                        + "WHERE app_id = :app AND status = 'FAILED' AND completed_at >= :since AND endpoint_id IN (:endpoints)")
                .param("now", Timestamp.from(Instant.now())).param("more", maxAttempts).param("app", appId)
                .param("since", Timestamp.from(since)).param("endpoints", enabled).update();
        signal.wake();
        return replayed;
    }

    private void requireEnabled(String appId, String endpointId) {
        Endpoint endpoint = endpoints.find(appId, endpointId).orElseThrow(() -> new ApiException(
                ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, "No webhook endpoint " + endpointId));
        if (!endpoint.enabled()) {
            throw new ApiException(ErrorCode.WEBHOOK_ENDPOINT_DISABLED, "Enable endpoint " + endpointId
                    + " before replaying its deliveries");
        }
    }

    private Optional<Entry> find(String appId, String deliveryId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_deliveries WHERE app_id = ? AND delivery_id = ?")
                .params(appId, deliveryId).query(ENTRIES).optional();
    }

    private static final String COLUMNS = "seq, delivery_id, endpoint_id, event_id, event_type, status, attempts, "
            + "created_at, next_attempt_at, completed_at, failure_reason";

    private static final RowMapper<Entry> ENTRIES = (rs, row) -> {
        String status = rs.getString("status").toLowerCase(Locale.ROOT);
        Timestamp completed = rs.getTimestamp("completed_at");
        return new Entry(rs.getLong("seq"), rs.getString("delivery_id"), rs.getString("endpoint_id"),
                rs.getString("event_id"), rs.getString("event_type"), status, rs.getInt("attempts"),
                rs.getTimestamp("created_at").toInstant(),
                "pending".equals(status) ? rs.getTimestamp("next_attempt_at").toInstant() : null,
                completed == null ? null : completed.toInstant(), rs.getString("failure_reason"));
    };
}
