package io.switchboard.platform.security;

import io.switchboard.events.membership.UserState;
import io.switchboard.platform.directory.UsersView;
import io.switchboard.schemas.Topics;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Instant;
import java.util.Optional;

/**
 * Refuses a user token whose user was deactivated or deleted ({@code membership.users}), was signed
 * out everywhere after the token was issued, or whose token was revoked by id
 * ({@code auth.revocations}). Applied with the app's checks ({@code AppAccessValidator}) on every
 * request in every service, from local views: no call to another service; and by push-service to
 * its open sessions whenever either view changes. A user this view has never heard of is not
 * refused: auth-service mints tokens only for users it has seen provisioned, and a view elsewhere
 * may not have read them yet; membership-service refuses what needs the user to exist.
 */
public class UserAccessValidator implements OAuth2TokenValidator<Jwt> {

    /** Why a user token is refused; {@link #code()} is the stable reason clients see (a close reason, an error detail). */
    public enum Refusal {
        USER_DEACTIVATED("user-deactivated", "The user is deactivated"),
        SIGNED_OUT("signed-out", "The user was signed out everywhere after this token was issued"),
        TOKEN_REVOKED("token-revoked", "The token was revoked");

        private final String code;
        private final String description;

        Refusal(String code, String description) {
            this.code = code;
            this.description = description;
        }

        public String code() {
            return code;
        }

        public String description() {
            return description;
        }
    }

    private final UsersView users;
    private final RevocationsView revocations;

    public UserAccessValidator(UsersView users, RevocationsView revocations) {
        this.users = users;
        this.revocations = revocations;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        if (!TokenClaims.USE_USER.equals(token.getClaimAsString(TokenClaims.TOKEN_USE))) {
            return OAuth2TokenValidatorResult.success();
        }
        return refusal(token.getClaimAsString(TokenClaims.APP_ID), token.getSubject(), token.getId(), token.getIssuedAt())
                .map(refusal -> OAuth2TokenValidatorResult.failure(
                        new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, refusal.description(), null)))
                .orElse(OAuth2TokenValidatorResult.success());
    }

    /** Why a user token with these claims is refused, or empty if it is not. */
    public Optional<Refusal> refusal(String appId, String userId, String tokenId, Instant issuedAt) {
        if (appId == null || userId == null) {
            return Optional.empty();   // no user token: the app's checks and Caller refuse it
        }
        if (isDeactivated(appId, userId)) {
            return Optional.of(Refusal.USER_DEACTIVATED);
        }
        if (revocations.revoked(appId, userId, tokenId)) {
            return Optional.of(Refusal.TOKEN_REVOKED);
        }
        if (revocations.signedOutSince(appId, userId, issuedAt)) {
            return Optional.of(Refusal.SIGNED_OUT);
        }
        return Optional.empty();
    }

    /** Deactivated, or deleted (a tombstone was read); a user never heard of is neither. */
    public boolean isDeactivated(String appId, String userId) {
        Optional<UserState> user = users.find(appId, userId);
        return user.map(state -> !state.getActive()).orElseGet(() -> users.isDeleted(Topics.userKey(appId, userId)));
    }
}
