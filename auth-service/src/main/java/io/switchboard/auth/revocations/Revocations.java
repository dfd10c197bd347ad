package io.switchboard.auth.revocations;

import io.switchboard.auth.AuthProperties;
import io.switchboard.auth.audit.AuditLog;
import io.switchboard.events.auth.TokenRevocation;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.TokenClaims;
import io.switchboard.schemas.Topics;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Revokes user tokens before they expire: all of a user's tokens issued so far (sign out
 * everywhere), or one token by its id. Each revocation is stored and published on
 * {@code auth.revocations} in one transaction (outbox); every service's view refuses the tokens
 * as soon as it reads it, and push-service closes their sessions. Once every token a revocation
 * concerns has expired, {@link #expire} removes it and publishes its tombstone.
 */
@Service
public class Revocations {

    private final RevocationStore store;
    private final Outbox outbox;
    private final AuditLog audit;
    private final AuthProperties properties;

    Revocations(RevocationStore store, Outbox outbox, AuditLog audit, AuthProperties properties) {
        this.store = store;
        this.outbox = outbox;
        this.audit = audit;
        this.properties = properties;
    }

    /**
     * Signs the user out everywhere: every token of theirs issued before the returned cut-off is
     * refused. Tokens carry whole seconds ({@code iat}), so the cut-off is the next full second, and
     * {@link #earliestIssue} keeps new tokens from being issued before it.
     */
    @Transactional
    public Instant signOut(String appId, String userId) {
        Instant now = Instant.now();
        Instant cutOff = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        RevocationStore.Revocation revocation = new RevocationStore.Revocation(appId, userId,
                RevocationStore.EVERY_TOKEN, cutOff, cutOff.plus(properties.userTokenMaxTtl()),
                now.truncatedTo(ChronoUnit.MILLIS));
        store.save(revocation);
        publish(revocation);
        audit.success(appId, "user.signed-out", appId, "user=" + userId);
        return cutOff;
    }

    /**
     * Revokes one user token of the app, already verified by signature (its claims are not
     * checked: an expired or revoked token may be revoked again, harmlessly).
     *
     * @throws ApiException {@code forbidden} when the token is not a user token of the app
     */
    @Transactional
    public void revoke(String appId, Jwt token) {
        if (!appId.equals(token.getClaimAsString(TokenClaims.APP_ID))
                || !TokenClaims.USE_USER.equals(token.getClaimAsString(TokenClaims.TOKEN_USE))
                || token.getId() == null || token.getSubject() == null) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only a user token of this app can be revoked by it");
        }
        Instant now = Instant.now();
        Instant expiresAt = token.getExpiresAt() != null ? token.getExpiresAt() : now.plus(properties.userTokenMaxTtl());
        if (!expiresAt.isAfter(now)) {
            return;   // expired: nothing accepts it any more
        }
        RevocationStore.Revocation revocation = new RevocationStore.Revocation(appId, token.getSubject(), token.getId(),
                null, expiresAt, now.truncatedTo(ChronoUnit.MILLIS));
        store.save(revocation);
        publish(revocation);
        audit.success(appId, "token.revoked", appId, "user=" + token.getSubject() + ", token=" + token.getId());
    }

    /** The earliest a new token of the user may be issued: not before their latest sign-out's cut-off. */
    public Optional<Instant> earliestIssue(String appId, String userId) {
        return store.tokensNotBefore(appId, userId);
    }

    /** Removes up to {@code limit} revocations whose tokens have all expired, publishing their tombstones. */
    @Transactional
    public int expire(Instant now, int limit) {
        var expired = store.lockExpired(now, limit);
        for (RevocationStore.Revocation revocation : expired) {
            store.delete(revocation);
            outbox.appendTombstone(Topics.AUTH_REVOCATIONS, key(revocation));
        }
        return expired.size();
    }

    /**
     * Removes every revocation of a deleted app, with its tombstone so every service's view forgets
     * it too (its tokens are refused for the app's sake anyway).
     *
     * @return how many it removed
     */
    @Transactional
    public int forgetApp(String appId) {
        List<RevocationStore.Revocation> revocations = store.ofApp(appId);
        for (RevocationStore.Revocation revocation : revocations) {
            store.delete(revocation);
            outbox.appendTombstone(Topics.AUTH_REVOCATIONS, key(revocation));
        }
        return revocations.size();
    }

    private void publish(RevocationStore.Revocation revocation) {
        outbox.append(Topics.AUTH_REVOCATIONS, key(revocation), TokenRevocation.newBuilder()
                .setAppId(revocation.appId())
                .setUserId(revocation.userId())
                .setTokenId(revocation.signOut() ? null : revocation.tokenId())
                .setTokensNotBefore(revocation.tokensNotBefore())
                .setExpiresAt(revocation.expiresAt())
                .setRevokedAt(revocation.revokedAt())
                .build());
    }

    private static String key(RevocationStore.Revocation revocation) {
        return revocation.signOut() ? Topics.userRevocationKey(revocation.appId(), revocation.userId())
                : Topics.tokenRevocationKey(revocation.appId(), revocation.userId(), revocation.tokenId());
    }
}
