package io.switchboard.auth.tokens;

import io.switchboard.auth.audit.TokenUsage;
import io.switchboard.platform.security.Scopes;
import io.switchboard.platform.security.TokenClaims;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * Shapes tokens from the token endpoint as ES256-signed app tokens ({@code typ: at+jwt}): the app,
 * {@code token_use=app}, the services its scopes are for ({@code aud}) and the certificate they were
 * obtained with (so revoking it revokes them).
 */
@Component
class AppTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final TokenUsage usage;

    AppTokenClaims(TokenUsage usage) {
        this.usage = usage;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            return;
        }
        // Switchboard signs with ES256 only (Spring Authorization Server defaults to RS256)
        context.getJwsHeader().algorithm(SignatureAlgorithm.ES256).type(TokenClaims.ACCESS_TOKEN_TYPE);
        String appId = context.getRegisteredClient().getClientId();
        context.getClaims()
                .audience(Scopes.audiences(context.getAuthorizedScopes()))
                .claim(TokenClaims.APP_ID, appId)
                .claim(TokenClaims.TOKEN_USE, TokenClaims.USE_APP)
                .claim(TokenClaims.CERTIFICATE_ID,
                        context.getRegisteredClient().getClientSettings().<String>getSetting(AppClients.CERTIFICATE_ID_SETTING));
        usage.count(TokenUsage.Kind.APP_TOKENS_ISSUED, appId);
    }
}
