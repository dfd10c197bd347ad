package io.switchboard.auth.tokens;

import io.switchboard.auth.AuthProperties;
import io.switchboard.auth.apps.App;
import io.switchboard.auth.apps.Apps;
import io.switchboard.auth.audit.TokenUsage;
import io.switchboard.auth.revocations.Revocations;
import io.switchboard.events.membership.UserState;
import io.switchboard.platform.directory.UsersView;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.platform.security.Scopes;
import io.switchboard.platform.security.TokenClaims;
import io.switchboard.platform.security.TokenVerificationProperties;
import io.switchboard.schemas.Topics;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Mints user tokens: an app, holding an app token with {@value Scopes#USER_TOKENS_MINT}, asks for
 * a token for one of its users. The token names the app, the user, optionally a device, its
 * scopes, and the certificate the app token was obtained with (revoking that certificate revokes
 * both). Only the app's users get one: a user it never provisioned (over membership-service's API
 * or its directory topic) gets {@code user-not-found}, a deactivated or deleted one
 * {@code user-deactivated}, as the {@code membership.users} view knows them; and a token is never
 * issued before the user's latest sign-out ({@link Revocations}). Its scopes are user scopes ({@link Scopes#USER}) the app's grant holds: an app the admin
 * limited cannot hand its users more than it has. Its lifetime is capped by the app's policy and
 * the platform maximum.
 */
@Service
class UserTokens {

    /** How long a user the view does not know yet is awaited: a provisioning's outbox relay and one broker round trip. */
    private static final Duration PROVISIONING_WAIT = Duration.ofSeconds(2);

    private final JwtEncoder encoder;
    private final Apps apps;
    private final AuthProperties properties;
    private final TokenUsage usage;
    private final UsersView users;
    private final Revocations revocations;
    private final String issuer;

    UserTokens(JwtEncoder encoder, Apps apps, AuthProperties properties, TokenUsage usage,
               TokenVerificationProperties verification, UsersView users, Revocations revocations) {
        this.encoder = encoder;
        this.apps = apps;
        this.properties = properties;
        this.usage = usage;
        this.users = users;
        this.revocations = revocations;
        this.issuer = verification.issuer();
    }

    record MintedToken(String accessToken, Instant expiresAt, List<String> scopes) {
    }

    MintedToken mint(Jwt appToken, String userId, String deviceId, List<String> requestedScopes, Duration ttl) {
        Caller caller = Caller.of(appToken);
        if (caller.user()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Only an app token can mint user tokens");
        }
        App app = apps.get(caller.appId());
        if (!app.acceptsNewTokens(Instant.now())) {
            throw new ApiException(ErrorCode.APP_SUSPENDED, "App " + app.appId() + " is suspended");
        }
        requireActiveUser(app.appId(), userId);
        List<String> scopes = scopes(app, requestedScopes);
        Duration maximum = app.maxUserTokenTtl() != null && app.maxUserTokenTtl().compareTo(properties.userTokenMaxTtl()) < 0
                ? app.maxUserTokenTtl() : properties.userTokenMaxTtl();
        Duration lifetime = ttl == null ? min(properties.userTokenDefaultTtl(), maximum) : ttl;
        if (lifetime.compareTo(maximum) > 0) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "ttlSeconds exceeds this app's maximum of " + maximum.toSeconds());
        }
        // a token issued before the user's latest sign-out would be refused: issue it at the cut-off at the earliest
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant signedOut = revocations.earliestIssue(app.appId(), userId).orElse(now);
        if (now.isBefore(signedOut)) {
            now = signedOut;
        }
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(issuer)
                .subject(userId)
                .id(UUID.randomUUID().toString())
                .issuedAt(now)
                .notBefore(now)
                .expiresAt(now.plus(lifetime))
                .claim(TokenClaims.APP_ID, app.appId())
                .claim(TokenClaims.TOKEN_USE, TokenClaims.USE_USER)
                .claim(TokenClaims.CERTIFICATE_ID, appToken.getClaimAsString(TokenClaims.CERTIFICATE_ID))
                .audience(Scopes.audiences(scopes))
                .claim("scope", String.join(" ", scopes));
        if (deviceId != null) {
            claims.claim(TokenClaims.DEVICE_ID, deviceId);
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.ES256).type(TokenClaims.ACCESS_TOKEN_TYPE).build();
        String token = encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
        usage.count(TokenUsage.Kind.USER_TOKENS_MINTED, app.appId());
        return new MintedToken(token, now.plus(lifetime), scopes);
    }

    /**
     * Refuses a user the app does not have, or no longer has. A user provisioned a moment ago may
     * still be on its way to the view (membership-service's outbox, the broker): an unknown one is
     * awaited briefly before it is refused.
     */
    private void requireActiveUser(String appId, String userId) {
        String key = Topics.userKey(appId, userId);
        Optional<UserState> user = users.awaitKey(key, PROVISIONING_WAIT);
        if (user.isPresent() ? !user.get().getActive() : users.isDeleted(key)) {
            throw new ApiException(ErrorCode.USER_DEACTIVATED, "User " + userId + " is deactivated");
        }
        if (user.isEmpty()) {
            throw new ApiException(ErrorCode.USER_NOT_FOUND, "App " + appId + " has no user " + userId
                    + ": provision it first (POST /v1/users on membership-service, or the app's directory.users topic)");
        }
    }

    /** The requested scopes, or the default ones the app may grant; each a user scope within the app's grant. */
    private static List<String> scopes(App app, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            List<String> granted = Scopes.USER_DEFAULT.stream().filter(app.scopes()::contains).toList();
            if (granted.isEmpty()) {
                throw new ApiException(ErrorCode.SCOPE_NOT_ALLOWED, "App " + app.appId()
                        + " may grant its users none of " + Scopes.USER_DEFAULT);
            }
            return granted;
        }
        List<String> notUserScopes = requested.stream().filter(s -> !Scopes.USER.contains(s)).toList();
        if (!notUserScopes.isEmpty()) {
            throw new ApiException(ErrorCode.SCOPE_NOT_ALLOWED, "User tokens cannot carry " + notUserScopes);
        }
        List<String> beyondGrant = requested.stream().filter(s -> !app.scopes().contains(s)).toList();
        if (!beyondGrant.isEmpty()) {
            throw new ApiException(ErrorCode.SCOPE_NOT_ALLOWED, "App " + app.appId() + " may not grant " + beyondGrant
                    + ": its grant holds " + app.scopes());
        }
        return List.copyOf(new java.util.LinkedHashSet<>(requested));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
