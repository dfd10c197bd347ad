package io.switchboard.auth.tokens;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.stereotype.Component;

/**
 * Switchboard's tokens are self-contained JWTs verified by every service locally; nothing needs
 * the authorization server to remember issued tokens. Keeping them (the in-memory default) would
 * only grow without bound. Revocation works per app (suspension, certificate revocation).
 */
@Component
class StatelessAuthorizations implements OAuth2AuthorizationService {

    @Override
    public void save(OAuth2Authorization authorization) {
        // nothing to remember: the issued JWT carries everything a verifier needs
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        // nothing was stored
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return null;
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return null;
    }
}
