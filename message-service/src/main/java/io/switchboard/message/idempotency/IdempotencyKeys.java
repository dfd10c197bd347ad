package io.switchboard.message.idempotency;

import io.switchboard.message.MessageProperties;
import io.switchboard.platform.Dialect;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The first result of every {@code Idempotency-Key}, per app and caller, for the replay window.
 *
 * <p>A key is claimed in the transaction that stores the message. Two requests racing with one key
 * serialize on its primary key: the second waits for the first to commit, then finds its row and
 * returns the first message; if the first rolled back, the second claims the key itself.
 */
@Repository
public class IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
    private static final int MAX_KEY_LENGTH = 128;

    private final JdbcClient jdbc;
    private final Duration window;
    private final boolean insertReturning;

    IdempotencyKeys(JdbcClient jdbc, JdbcTemplate template, MessageProperties properties) {
        this.jdbc = jdbc;
        this.window = properties.idempotencyWindow();
        this.insertReturning = Dialect.isPostgres(template);
    }

    /** One key to claim for a message about to be stored. */
    public record Claim(String appId, String callerId, String key, String requestHash, String messageId) {
    }

    /**
     * What claiming a key gave: newly claimed (both null), the id of the message the key stored
     * first, or a refusal ({@code idempotency-key-reused}).
     */
    public record Outcome(String firstMessageId, ApiException refusal) {
    }

    /**
     * Claims several keys (of different callers, distinct) in one statement where the database
     * can say which rows it inserted (PostgreSQL's {@code RETURNING}); keys that were taken are
     * then looked at one by one, as {@link #claim} does.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Outcome> claimAll(List<Claim> claims) {
        Set<List<String>> claimed = insertReturning && claims.size() > 1 ? insertAll(claims) : Set.of();
        List<Outcome> outcomes = new ArrayList<>(claims.size());
        for (Claim c : claims) {
            if (claimed.contains(List.of(c.appId(), c.callerId(), c.key()))) {
                outcomes.add(new Outcome(null, null));
                continue;
            }
            try {
                outcomes.add(new Outcome(claim(c.appId(), c.callerId(), c.key(), c.requestHash(), c.messageId())
                        .orElse(null), null));
            } catch (ApiException refused) {
                outcomes.add(new Outcome(null, refused));
            }
        }
        return outcomes;
    }

    private Set<List<String>> insertAll(List<Claim> claims) {
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        List<Object> params = new ArrayList<>(claims.size() * 6);
        for (Claim c : claims) {
            params.addAll(List.of(c.appId(), c.callerId(), c.key(), c.requestHash(), c.messageId(), now));
        }
        return Set.copyOf(jdbc.sql("INSERT INTO idempotency_keys (app_id, caller_id, idempotency_key, request_hash, "
                        + "message_id, created_at) VALUES " + String.join(", ", Collections.nCopies(claims.size(),
                        "(?, ?, ?, ?, ?, ?)")) + " ON CONFLICT DO NOTHING RETURNING app_id, caller_id, idempotency_key")
                .params(params)
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list());
    }

    /** Refuses a missing or unusable key with a problem the client can act on. */
    public static String require(String key) {
        if (key == null || key.isBlank()) {
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_MISSING,
                    "Send an Idempotency-Key header (e.g. a UUID) so that a retried request cannot send twice");
        }
        if (key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "The Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
        }
        return key;
    }

    /**
     * Claims {@code key} for the message {@code messageId} about to be stored.
     *
     * @return empty when the key is new (now claimed); otherwise the id of the message stored
     * under it first
     * @throws ApiException {@code idempotency-key-reused} when the key was used for another request
     */
    // a refused key is one message's outcome, not a reason to roll back the others stored with it
    @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = ApiException.class)
    public Optional<String> claim(String appId, String callerId, String key, String requestHash, String messageId) {
        Instant now = Instant.now();
        int claimed = jdbc.sql("INSERT INTO idempotency_keys (app_id, caller_id, idempotency_key, request_hash, "
                        + "message_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(appId, callerId, key, requestHash, messageId, now.atOffset(ZoneOffset.UTC))
                .update();
        if (claimed == 1) {
            return Optional.empty();
        }
        var first = jdbc.sql("SELECT request_hash, message_id, created_at FROM idempotency_keys "
                        + "WHERE app_id = ? AND caller_id = ? AND idempotency_key = ?")
                .params(appId, callerId, key)
                .query((rs, n) -> new FirstUse(rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant()))
                .single();
        if (first.createdAt().isBefore(now.minus(window))) {
            // expired but not purged yet: the key starts over
            jdbc.sql("UPDATE idempotency_keys SET request_hash = ?, message_id = ?, created_at = ? "
                            + "WHERE app_id = ? AND caller_id = ? AND idempotency_key = ?")
                    .params(requestHash, messageId, now.atOffset(ZoneOffset.UTC), appId, callerId, key)
                    .update();
            return Optional.empty();
        }
        if (!first.requestHash().equals(requestHash)) {
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "The Idempotency-Key " + key
                    + " was used for a different request; use a new key for a new message");
        }
        return Optional.of(first.messageId());
    }

    private record FirstUse(String requestHash, String messageId, Instant createdAt) {
    }

    /** Forgets keys older than the replay window. */
    @Scheduled(fixedDelayString = "${switchboard.messages.idempotency-purge-interval:10m}", initialDelay = 60_000)
    public void purgeExpired() {
        int purged = jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < ?")
                .param(Instant.now().minus(window).atOffset(ZoneOffset.UTC))
                .update();
        if (purged > 0) {
            log.info("Purged {} idempotency keys older than {}", purged, window);
        }
    }
}
