package io.switchboard.auth.tokens;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code POST /v1/users/{userId}/tokens}: an app mints a token for one of its users. */
@RestController
class UserTokensController {

    static final String USER_ID = "[A-Za-z0-9._@:-]{1,128}";

    private final UserTokens userTokens;

    UserTokensController(UserTokens userTokens) {
        this.userTokens = userTokens;
    }

    record MintRequest(@Size(max = 128) @Pattern(regexp = "[A-Za-z0-9._:-]+") String deviceId,
                       @Size(max = 10) List<String> scopes,
                       @Min(60) @Max(7 * 24 * 3600) Long ttlSeconds) {
    }

    record TokenResponse(String accessToken, String tokenType, long expiresIn, Instant expiresAt, List<String> scopes) {
    }

    @PostMapping("/v1/users/{userId}/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_user-tokens:mint')")
    TokenResponse mintUserToken(@PathVariable @Pattern(regexp = USER_ID) String userId,
                                @Valid @RequestBody(required = false) MintRequest request,
                                Authentication authentication) {
        MintRequest body = request == null ? new MintRequest(null, null, null) : request;
        UserTokens.MintedToken token = userTokens.mint(((JwtAuthenticationToken) authentication).getToken(), userId,
                body.deviceId(),
                body.scopes(), body.ttlSeconds() == null ? null : Duration.ofSeconds(body.ttlSeconds()));
        long expiresIn = Duration.between(Instant.now(), token.expiresAt()).toSeconds();
        return new TokenResponse(token.accessToken(), "Bearer", expiresIn, token.expiresAt(), token.scopes());
    }
}
