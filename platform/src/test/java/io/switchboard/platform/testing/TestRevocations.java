package io.switchboard.platform.testing;

import io.switchboard.events.auth.TokenRevocation;
import io.switchboard.schemas.Topics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Publishes token revocations on {@code auth.revocations} as auth-service would. */
public final class TestRevocations {

    private TestRevocations() {
    }

    /** The user was signed out everywhere: their tokens issued before {@code tokensNotBefore} are refused. */
    public static void signedOut(String appId, String userId, Instant tokensNotBefore) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TestProducers.sendAvro(Topics.AUTH_REVOCATIONS.name(), Topics.userRevocationKey(appId, userId),
                TokenRevocation.newBuilder().setAppId(appId).setUserId(userId).setTokensNotBefore(tokensNotBefore)
                        .setExpiresAt(now.plus(Duration.ofDays(1))).setRevokedAt(now).build());
    }

    /** One token of the user (its jti) was revoked. */
    public static void tokenRevoked(String appId, String userId, String tokenId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TestProducers.sendAvro(Topics.AUTH_REVOCATIONS.name(), Topics.tokenRevocationKey(appId, userId, tokenId),
                TokenRevocation.newBuilder().setAppId(appId).setUserId(userId).setTokenId(tokenId)
                        .setExpiresAt(now.plus(Duration.ofDays(1))).setRevokedAt(now).build());
    }
}
