package io.switchboard.platform.apps;

import io.switchboard.events.auth.AppState;
import io.switchboard.events.auth.AppStatus;
import io.switchboard.platform.security.TokenClaims;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Instant;
import java.util.Optional;

/**
 * Refuses a token whose app is unknown, deleted or suspended, whose certificate was revoked, or
 * which was issued before the app's {@code tokensNotBefore}. Applied on every request in every
 * service (and to open WebSocket sessions when the app's state changes).
 */
public class AppAccessValidator implements OAuth2TokenValidator<Jwt> {

    private final AppStateView apps;

    public AppAccessValidator(AppStateView apps) {
        this.apps = apps;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        return refusal(token).map(reason -> OAuth2TokenValidatorResult.failure(
                        new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, reason, null)))
                .orElse(OAuth2TokenValidatorResult.success());
    }

    /** Why the token is no longer acceptable, or empty if it is. */
    public Optional<String> refusal(Jwt token) {
        return refusal(token.getClaimAsString(TokenClaims.APP_ID), token.getClaimAsString(TokenClaims.CERTIFICATE_ID),
                token.getIssuedAt());
    }

    /**
     * Why a token with these claims is no longer acceptable, or empty if it is: for a holder that
     * kept only these of a verified token (a gateway's open sessions).
     */
    public Optional<String> refusal(String appId, String certificateId, Instant issuedAt) {
        if (appId == null) {
            return Optional.of("The token names no app");
        }
        Optional<AppState> app = apps.findFresh(appId);
        if (app.isEmpty()) {
            return Optional.of("Unknown app");
        }
        AppState state = app.get();
        if (state.getStatus() != AppStatus.ACTIVE) {
            return Optional.of("The app is suspended");
        }
        if (certificateId == null || !state.getActiveCertificateIds().contains(certificateId)) {
            return Optional.of("The certificate this token was obtained with is revoked");
        }
        if (state.getTokensNotBefore() != null && (issuedAt == null || issuedAt.isBefore(state.getTokensNotBefore()))) {
            return Optional.of("The token was issued before the app's tokens were invalidated");
        }
        return Optional.empty();
    }
}
