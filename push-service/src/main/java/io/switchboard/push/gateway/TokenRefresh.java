package io.switchboard.push.gateway;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.security.Caller;
import io.switchboard.platform.security.Scopes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * An open session's in-band token refresh ({@code auth.refresh}): the new token is verified like a
 * handshake's (signature, issuer, expiry, app and certificate still valid) and must be a user token
 * with {@value Scopes#PUSH_CONNECT} for the same app, user and device as the session, so that a
 * session can be extended but never become someone else's.
 */
@Component
class TokenRefresh {

    /** Why a refresh was refused: a stable code for the client and a readable detail. */
    record Refusal(String code, String detail) {
    }

    private final JwtDecoder decoder;

    TokenRefresh(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    /** Replaces the session's token, or says why not (the session keeps its token until it expires). */
    Refusal refresh(PushSession session, String token) {
        if (token == null || token.isBlank()) {
            return new Refusal("token-missing", "auth.refresh needs a token");
        }
        Jwt newer;
        try {
            newer = decoder.decode(token);
            Caller.of(newer);
        } catch (BadJwtException | ApiException e) {
            return new Refusal("token-invalid", "The token was not accepted: " + e.getMessage());
        } catch (JwtException e) {
            // the verifier could not run (auth-service's key set unreadable): say so, without its address
            return new Refusal("token-unverifiable", "The token cannot be verified right now; send auth.refresh again later");
        }
        Optional<PushPrincipal> principal = PushPrincipal.of(newer);
        if (principal.isEmpty()) {
            return new Refusal("token-not-for-push", "A user token with scope " + Scopes.PUSH_CONNECT + " is needed");
        }
        if (!principal.get().sameSessionAs(session.principal())) {
            return new Refusal("token-other-session", "The token is for another app, user or device than this session");
        }
        session.refresh(principal.get());
        return null;
    }
}
