package io.switchboard.platform.security;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, read from a verified token: an app acting for itself, or one of its users.
 * Every query a service runs for a caller is scoped to {@link #appId()}.
 *
 * @param appId    the app (tenant) the token belongs to
 * @param subject  the user id for user tokens; the app id for app tokens
 * @param deviceId device of a user token, or {@code null}
 * @param user     {@code true} for a user token
 */
public record Caller(String appId, String subject, String deviceId, boolean user) {

    /** Reads the caller from a verified JWT; refuses tokens without an app. */
    public static Caller of(Jwt jwt) {
        String appId = jwt.getClaimAsString(TokenClaims.APP_ID);
        if (appId == null || appId.isBlank()) {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "The token names no app");
        }
        boolean user = TokenClaims.USE_USER.equals(jwt.getClaimAsString(TokenClaims.TOKEN_USE));
        return new Caller(appId, jwt.getSubject(), jwt.getClaimAsString(TokenClaims.DEVICE_ID), user);
    }

    public static Caller of(Authentication authentication) {
        if (authentication instanceof JwtAuthenticationToken token) {
            return of(token.getToken());
        }
        throw new ApiException(ErrorCode.UNAUTHENTICATED, "A bearer token is required");
    }

    /** The app id, for operations only an app token may perform (e.g. provisioning users). */
    public String requireApp(String detail) {
        if (user) {
            throw new ApiException(ErrorCode.FORBIDDEN, detail);
        }
        return appId;
    }

    /** The user id, for operations only a user may perform. */
    public String userId() {
        if (!user) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This operation needs a user token");
        }
        return subject;
    }
}
