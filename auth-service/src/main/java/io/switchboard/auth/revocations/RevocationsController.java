package io.switchboard.auth.revocations;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.auth.keys.SigningKeys;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.platform.security.TokenDecoders;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

/**
 * An app ends its users' tokens early (app token with {@code user-tokens:mint}, the scope that
 * mints them): signs a user out everywhere, or revokes one token.
 */
@RestController
@PreAuthorize("hasAuthority('SCOPE_user-tokens:mint')")
class RevocationsController {

    private static final String ONLY_APPS = "Only an app token revokes its users' tokens";

    private final Revocations revocations;
    /** Checks that a token to revoke is one of ours; its claims (expiry, state) do not matter here. */
    private final JwtDecoder signatureVerifier;

    RevocationsController(Revocations revocations, SigningKeys keys) {
        this.revocations = revocations;
        this.signatureVerifier = TokenDecoders.signatureOnly(keys.publishedKeys());
    }

    record SignOutResponse(String userId, Instant tokensNotBefore) {
    }

    record RevokeRequest(@NotBlank @Size(max = 8192) String token) {
    }

    @Operation(summary = "Sign a user out everywhere",
            description = "Every token of the user issued so far is refused by every service within moments, and their "
                    + "open push sessions close with 4401 signed-out. Tokens minted afterwards work.")
    @PostMapping("/v1/users/{userId}/sign-out")
    SignOutResponse signOut(@PathVariable @Pattern(regexp = "[A-Za-z0-9._@:-]{1,128}") String userId,
                            Authentication authentication) {
        String appId = Caller.of(authentication).requireApp(ONLY_APPS);
        return new SignOutResponse(userId, revocations.signOut(appId, userId));
    }

    @Operation(summary = "Revoke one user token",
            description = "The token (as minted for one of the app's users) is refused by every service within moments, "
                    + "and its push session closes with 4401 token-revoked. Revoking an expired token changes nothing.")
    @PostMapping("/v1/tokens/revoke")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@Valid @RequestBody RevokeRequest request, Authentication authentication) {
        String appId = Caller.of(authentication).requireApp(ONLY_APPS);
        Jwt token;
        try {
            token = signatureVerifier.decode(request.token());
        } catch (JwtException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "token is not a token Switchboard issued");
        }
        revocations.revoke(appId, token);
    }
}
