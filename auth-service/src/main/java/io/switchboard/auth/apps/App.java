package io.switchboard.auth.apps;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A third-party app (tenant) as auth-service stores it.
 *
 * @param tokensNotBefore   tokens issued before this are refused (set on suspension), or null
 * @param requestsPerSecond the app's API rate limit in each service, or null for the default
 * @param maxUserTokenTtl   the app's own cap on user token lifetime, or null for the platform's
 * @param maxDevicesPerUser how many devices one user may be connected with at once, or null for no limit
 */
public record App(String appId, String name, AppStatus status, List<String> scopes, long version,
                  Instant tokensNotBefore, Integer requestsPerSecond, Duration maxUserTokenTtl,
                  Integer maxDevicesPerUser, Instant createdAt, Instant updatedAt) {

    public enum AppStatus { ACTIVE, SUSPENDED }

    public boolean isActive() {
        return status == AppStatus.ACTIVE;
    }

    /**
     * Whether a token issued now would count: the app is active and past its tokens-not-before
     * cut-off (a token issued earlier in that second would carry an iat before the cut-off).
     */
    public boolean acceptsNewTokens(Instant now) {
        return isActive() && (tokensNotBefore == null || !now.isBefore(tokensNotBefore));
    }
}
