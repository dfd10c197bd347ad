package io.switchboard.push.webhooks.endpoints;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery health of endpoints, on their rows in {@code webhook_endpoints}: written as
 * attempts are settled (by whichever instance made them), read by the endpoints API together with
 * the endpoint's pending deliveries. Every instance writes and reads the same rows, so the health
 * an app sees does not depend on which instance answers it.
 */
@Repository
public class EndpointHealthStore {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;

    EndpointHealthStore(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /**
     * What one batch of settled attempts says about one endpoint.
     *
     * @param afterSuccess     whether an attempt of the batch succeeded: {@code failures} then
     *                         counts only those after the last success
     * @param failures         failed attempts (after the last success, if any)
     * @param lastAttemptAt    when the batch's latest attempt started
     * @param lastError        the batch's latest failed attempt, or null
     * @param circuitOpenUntil when a breaker that a failure of the batch opened lets a trial
     *                         through; null when none opened (a success after it closes it)
     */
    public record Attempts(String endpointId, boolean afterSuccess, int failures, Instant lastAttemptAt,
                           EndpointHealth.LastError lastError, Instant circuitOpenUntil) {
    }

    /**
     * Applies a batch's attempts, in one round trip: the count of consecutive failures,
     * {@code failing_since} (set by the first failure, cleared by a success), the latest attempt
     * and error, the open circuit. Rows are updated in the order given: callers pass them sorted by
     * endpoint id, so two instances settling at once lock them in the same order.
     */
    public void recordAttempts(Collection<Attempts> batch, Instant now) {
        if (batch.isEmpty()) {
            return;
        }
        named.batchUpdate("UPDATE webhook_endpoints SET "
                + "consecutive_failures = CASE WHEN :afterSuccess THEN :failures ELSE consecutive_failures + :failures END, "
                + "failing_since = CASE WHEN :failures = 0 THEN NULL "
                + "  WHEN :afterSuccess OR failing_since IS NULL THEN :now ELSE failing_since END, "
                + "last_attempt_at = CASE WHEN last_attempt_at IS NULL OR last_attempt_at < :lastAttemptAt "
                + "  THEN :lastAttemptAt ELSE last_attempt_at END, "
                + "last_error_at = CASE WHEN :failed THEN :errorAt ELSE last_error_at END, "
                + "last_error_outcome = CASE WHEN :failed THEN :errorOutcome ELSE last_error_outcome END, "
                + "last_error_status = CASE WHEN :failed THEN :errorStatus ELSE last_error_status END, "
                + "last_error_detail = CASE WHEN :failed THEN :errorDetail ELSE last_error_detail END, "
                + "circuit_open_until = CASE WHEN :opened THEN :openUntil WHEN :failures = 0 THEN NULL "
                + "  ELSE circuit_open_until END "
                + "WHERE endpoint_id = :id", batch.stream().map(attempts -> parameters(attempts, now))
                .toArray(SqlParameterSource[]::new));
    }

    private static SqlParameterSource parameters(Attempts attempts, Instant now) {
        EndpointHealth.LastError error = attempts.lastError();
        return new MapSqlParameterSource()
                .addValue("id", attempts.endpointId())
                .addValue("afterSuccess", attempts.afterSuccess())
                .addValue("failures", attempts.failures())
                .addValue("now", Timestamp.from(now))
                .addValue("lastAttemptAt", Timestamp.from(attempts.lastAttemptAt()))
                .addValue("failed", error != null)
                .addValue("errorAt", Timestamp.from(error == null ? now : error.at()))
                .addValue("errorOutcome", error == null ? "" : error.outcome())
                .addValue("errorStatus", error == null ? null : error.statusCode(), Types.INTEGER)
                .addValue("errorDetail", error == null ? null : error.detail(), Types.VARCHAR)
                .addValue("opened", attempts.circuitOpenUntil() != null)
                .addValue("openUntil", Timestamp.from(attempts.circuitOpenUntil() == null ? now : attempts.circuitOpenUntil()));
    }

    /** The health of these endpoints, by id. */
    public Map<String, EndpointHealth> health(Collection<String> endpointIds, Instant now) {
        Map<String, EndpointHealth> health = new HashMap<>();
        if (endpointIds.isEmpty()) {
            return health;
        }
        jdbc.sql("SELECT e.endpoint_id, e.enabled, e.failing_since, e.consecutive_failures, e.last_attempt_at, "
                        + "e.last_error_at, e.last_error_outcome, e.last_error_status, e.last_error_detail, e.circuit_open_until, "
                        + "(SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.endpoint_id AND d.status = 'PENDING') "
                        + "  AS pending, "
                        + "(SELECT min(d.next_attempt_at) FROM webhook_deliveries d WHERE d.endpoint_id = e.endpoint_id "
                        + "  AND d.status = 'PENDING') AS earliest_due "
                        + "FROM webhook_endpoints e WHERE e.endpoint_id IN (:ids)")
                .param("ids", endpointIds)
                .query(rs -> {
                    EndpointHealth.LastError error = rs.getTimestamp("last_error_at") == null ? null
                            : new EndpointHealth.LastError(rs.getTimestamp("last_error_at").toInstant(),
                            rs.getString("last_error_outcome"), (Integer) rs.getObject("last_error_status"),
                            rs.getString("last_error_detail"));
                    health.put(rs.getString("endpoint_id"), EndpointHealth.of(rs.getBoolean("enabled"),
                            rs.getInt("consecutive_failures"), instant(rs.getTimestamp("failing_since")),
                            instant(rs.getTimestamp("last_attempt_at")), error, instant(rs.getTimestamp("circuit_open_until")),
                            rs.getInt("pending"), instant(rs.getTimestamp("earliest_due")), now));
                });
        return health;
    }

    /**
     * Moves the clock of automatic disabling of the app's failing endpoints on by the time its
     * webhooks were paused ({@code pausedSince} to {@code now}): a suspension does not count as
     * failing. An endpoint that started failing during the pause (an attempt in flight when it
     * began) counts from now.
     */
    public void shiftFailingClocks(String appId, Instant pausedSince, Instant now) {
        record Failing(String endpointId, Instant since) {
        }
        List<Failing> failing = jdbc.sql("SELECT endpoint_id, failing_since FROM webhook_endpoints "
                        + "WHERE app_id = ? AND failing_since IS NOT NULL FOR UPDATE")
                .param(appId)
                .query((rs, row) -> new Failing(rs.getString("endpoint_id"), rs.getTimestamp("failing_since").toInstant()))
                .list();
        for (Failing endpoint : failing) {
            Instant from = endpoint.since().isAfter(pausedSince) ? endpoint.since() : pausedSince;
            Duration paused = Duration.between(from, now);
            if (paused.isPositive()) {
                jdbc.sql("UPDATE webhook_endpoints SET failing_since = ? WHERE endpoint_id = ?")
                        .params(Timestamp.from(endpoint.since().plus(paused)), endpoint.endpointId()).update();
            }
        }
    }

    /** Forgets the failures of an endpoint that starts afresh (enabled again). */
    void reset(String endpointId) {
        jdbc.sql("UPDATE webhook_endpoints SET consecutive_failures = 0, circuit_open_until = NULL WHERE endpoint_id = ?")
                .param(endpointId).update();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
