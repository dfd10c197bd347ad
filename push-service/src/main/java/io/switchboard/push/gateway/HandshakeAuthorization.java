package io.switchboard.push.gateway;

import io.switchboard.platform.security.Scopes;
import io.switchboard.platform.security.TokenClaims;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

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
        if (request.getPrincipal() instanceof JwtAuthenticationToken token
                && TokenClaims.USE_USER.equals(token.getToken().getClaimAsString(TokenClaims.TOKEN_USE))
                && token.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(Scopes.authority(Scopes.PUSH_CONNECT)))) {
            return true;
        }
        response.setStatusCode(HttpStatus.FORBIDDEN);
        return false;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        // nothing to do after the upgrade
    }
}
