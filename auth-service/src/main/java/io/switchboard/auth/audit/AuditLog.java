package io.switchboard.auth.audit;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The append-only record of admin and credential actions: who, when, which app, what, and
 * whether it succeeded. Never holds a secret or a token. A successful action is recorded in its
 * own transaction (both or neither); a refused one in a separate transaction, since the action's
 * transaction rolls back.
 */
@Component
public class AuditLog {

    /** How an action ended. */
    public enum Outcome { SUCCESS, REFUSED }

    /** One audit entry. */
    public record Entry(long id, Instant occurredAt, String actor, String action, String appId, Outcome outcome,
                        String detail) {
    }

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a successful action, inside the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void success(String actor, String action, String appId, String detail) {
        insert(actor, action, appId, Outcome.SUCCESS, detail);
    }

    /** Records a refused action, committed on its own. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void refused(String actor, String action, String appId, String detail) {
        insert(actor, action, appId, Outcome.REFUSED, detail);
    }

    /** Records an entry on its own (counters, background events). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(String actor, String action, String appId, Outcome outcome, String detail) {
        insert(actor, action, appId, outcome, detail);
    }

    /**
     * Entries newest first, optionally only of one app or action, older than {@code beforeId}
     * (for paging), at most {@code limit}.
     */
    List<Entry> query(String appId, String action, Long beforeId, int limit) {
        return jdbc.sql("""
                        SELECT id, occurred_at, actor, action, app_id, outcome, detail FROM audit_log
                        WHERE (CAST(:appId AS VARCHAR) IS NULL OR app_id = :appId)
                          AND (CAST(:action AS VARCHAR) IS NULL OR action = :action)
                          AND id < :beforeId
                        ORDER BY id DESC LIMIT :limit""")
                .param("appId", appId)
                .param("action", action)
                .param("beforeId", beforeId == null ? Long.MAX_VALUE : beforeId)
                .param("limit", limit)
                .query((rs, n) -> new Entry(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("app_id"),
                        Outcome.valueOf(rs.getString("outcome")), rs.getString("detail")))
                .list();
    }

    private void insert(String actor, String action, String appId, Outcome outcome, String detail) {
        jdbc.sql("INSERT INTO audit_log (occurred_at, actor, action, app_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)")
                .params(OffsetDateTime.now(ZoneOffset.UTC), actor, action, appId, outcome.name(),
                        detail == null ? null : detail.substring(0, Math.min(detail.length(), 1000)))
                .update();
    }
}
