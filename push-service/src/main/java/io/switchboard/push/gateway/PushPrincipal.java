package io.switchboard.push.gateway;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.security.Caller;
import io.switchboard.platform.security.Scopes;
import io.switchboard.platform.security.TokenClaims;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A verified push token reduced to what an open session needs of it: who it is (app, user,
 * device), when it expires, what a revocation is checked against (certificate, issue time), and
 * the encoded token itself, which resumes and gap fetches present to message-service to read the
 * user's history as the user ({@link MessageHistory}). A session keeps this instead of the parsed
 * JWT: the parsed claims, headers and scope set cost about 3 KiB a session on top of the encoded
 * token's few hundred bytes, and a gateway holds 100,000 sessions.
 *
 * @param appId          the app the token belongs to
 * @param userId         the user it was minted for
 * @param deviceId       the device it was minted for, or null
 * @param certificateId  the App Certificate the minting app token was obtained with
 * @param tokenId        its id ({@code jti}), by which it can be revoked alone
 * @param issuedAt       when it was issued (an app's {@code tokensNotBefore} and a user's sign-out revoke older tokens)
 * @param expiresAt      when it expires; the session ends then unless refreshed
 * @param mayReadHistory whether it carries {@value Scopes#MESSAGES_READ}, which resumes and fetches need
 * @param token          the encoded token (a secret: never logged, see {@link #toString()})
 */
record PushPrincipal(String appId, String userId, String deviceId, String certificateId, String tokenId,
                     Instant issuedAt, Instant expiresAt, boolean mayReadHistory, String token) {

    /** Reads a token's scopes as Spring Security's resource server does. */
    private static final JwtGrantedAuthoritiesConverter SCOPES = new JwtGrantedAuthoritiesConverter();

    /**
     * The principal of a verified user token whose scopes include {@value Scopes#PUSH_CONNECT};
     * empty for any other token.
     */
    static Optional<PushPrincipal> of(Jwt token) {
        Set<String> scopes = SCOPES.convert(token).stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        if (!TokenClaims.USE_USER.equals(token.getClaimAsString(TokenClaims.TOKEN_USE))
                || !scopes.contains(Scopes.authority(Scopes.PUSH_CONNECT))) {
            return Optional.empty();
        }
        Caller caller;
        try {
            caller = Caller.of(token);
        } catch (ApiException e) {
            return Optional.empty();
        }
        return Optional.of(new PushPrincipal(caller.appId(), caller.subject(), caller.deviceId(),
                token.getClaimAsString(TokenClaims.CERTIFICATE_ID), token.getId(), token.getIssuedAt(), token.getExpiresAt(),
                scopes.contains(Scopes.authority(Scopes.MESSAGES_READ)), token.getTokenValue()));
    }

    /** Whether {@code other} is for the same app, user and device (a refresh may extend a session, never move it). */
    boolean sameSessionAs(PushPrincipal other) {
        return appId.equals(other.appId) && userId.equals(other.userId) && Objects.equals(deviceId, other.deviceId);
    }

    /** Without the token: a principal may end up in a log line or an exception message. */
    @Override
    public String toString() {
        return "PushPrincipal[appId=" + appId + ", userId=" + userId + ", deviceId=" + deviceId + ", expiresAt="
                + expiresAt + "]";
    }
}
