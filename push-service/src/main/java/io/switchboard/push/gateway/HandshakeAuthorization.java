package io.switchboard.push.gateway;

import io.switchboard.platform.security.Scopes;
import io.switchboard.platform.security.TokenClaims;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import java.util.Collection;
import java.util.Map;

/**
 * Lets a handshake through only with a verified user token carrying {@value Scopes#PUSH_CONNECT}.
 * The token itself was already verified by the security filter chain (a missing or invalid token
 * never gets here: it is answered 401); this refuses valid tokens of the wrong kind with 403.
 */
class HandshakeAuthorization implements HandshakeInterceptor {

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        if (request.getPrincipal() instanceof JwtAuthenticationToken token && isPushToken(token.getToken(), token.getAuthorities())) {
            return true;
        }
        response.setStatusCode(HttpStatus.FORBIDDEN);
        return false;
    }

    /** A user token whose scopes ({@code authorities}, as Spring Security maps them) include {@value Scopes#PUSH_CONNECT}. */
    static boolean isPushToken(Jwt token, Collection<? extends GrantedAuthority> authorities) {
        return TokenClaims.USE_USER.equals(token.getClaimAsString(TokenClaims.TOKEN_USE))
                && authorities.stream().anyMatch(a -> a.getAuthority().equals(Scopes.authority(Scopes.PUSH_CONNECT)));
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        // nothing to do after the upgrade
    }
}
