package io.switchboard.auth.tokens;

import io.switchboard.platform.security.TokenClaims;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/** Marks tokens from the token endpoint as ES256-signed app tokens of the authenticated app. */
@Component
class AppTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    @Override
    public void customize(JwtEncodingContext context) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            // Switchboard signs with ES256 only (Spring Authorization Server defaults to RS256)
            context.getJwsHeader().algorithm(SignatureAlgorithm.ES256);
            context.getClaims()
                    .claim(TokenClaims.APP_ID, context.getRegisteredClient().getClientId())
                    .claim(TokenClaims.TOKEN_USE, TokenClaims.USE_APP);
        }
    }
}
