package io.switchboard.auth.revocations;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The {@code token_revocations} table: revocations that still matter, one row per published key. */
@Repository
class RevocationStore {

    /** The token id of a sign-out row, which concerns every token of the user. */
    static final String EVERY_TOKEN = "";

    private static final RowMapper<Revocation> ROW = (rs, n) -> new Revocation(rs.getString("app_id"),
            rs.getString("user_id"), rs.getString("token_id"),
            instant(rs.getObject("tokens_not_before", OffsetDateTime.class)),
            instant(rs.getObject("expires_at", OffsetDateTime.class)), instant(rs.getObject("revoked_at", OffsetDateTime.class)));

    private final JdbcClient jdbc;

    RevocationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One revocation; {@code tokenId} is {@link #EVERY_TOKEN} for a sign-out. */
    record Revocation(String appId, String userId, String tokenId, Instant tokensNotBefore, Instant expiresAt,
                      Instant revokedAt) {
        boolean signOut() {
            return EVERY_TOKEN.equals(tokenId);
        }
    }

    /**
     * Stores a revocation in place of an earlier one of the same key. Safe when two requests revoke
     * the same at once: one inserts, the other finds the row and updates it (after the first commits).
     */
    void save(Revocation revocation) {
        int inserted = jdbc.sql("""
                        INSERT INTO token_revocations (app_id, user_id, token_id, tokens_not_before, expires_at, revoked_at)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(revocation.appId(), revocation.userId(), revocation.tokenId(), utc(revocation.tokensNotBefore()),
                        utc(revocation.expiresAt()), utc(revocation.revokedAt()))
                .update();
        if (inserted == 0) {
            jdbc.sql("""
                            UPDATE token_revocations SET tokens_not_before = ?, expires_at = ?, revoked_at = ?
                            WHERE app_id = ? AND user_id = ? AND token_id = ?""")
                    .params(utc(revocation.tokensNotBefore()), utc(revocation.expiresAt()), utc(revocation.revokedAt()),
                            revocation.appId(), revocation.userId(), revocation.tokenId())
                    .update();
        }
    }

    /** The cut-off of the user's latest sign-out that still matters. */
    Optional<Instant> tokensNotBefore(String appId, String userId) {
        return jdbc.sql("SELECT tokens_not_before FROM token_revocations WHERE app_id = ? AND user_id = ? AND token_id = ?")
                .params(appId, userId, EVERY_TOKEN)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional();
    }

    /** Takes (locks, skipping rows another instance holds) up to {@code limit} revocations expired by {@code now}. */
    List<Revocation> lockExpired(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT app_id, user_id, token_id, tokens_not_before, expires_at, revoked_at FROM token_revocations
                        WHERE expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(utc(now), limit)
                .query(ROW)
                .list();
    }

    void delete(Revocation revocation) {
        jdbc.sql("DELETE FROM token_revocations WHERE app_id = ? AND user_id = ? AND token_id = ?")
                .params(revocation.appId(), revocation.userId(), revocation.tokenId()).update();
    }

    /** Every revocation of an app (its deletion). */
    List<Revocation> ofApp(String appId) {
        return jdbc.sql("""
                        SELECT app_id, user_id, token_id, tokens_not_before, expires_at, revoked_at FROM token_revocations
                        WHERE app_id = ?""")
                .param(appId)
                .query(ROW)
                .list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
