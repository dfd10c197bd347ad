package io.switchboard.push.gateway;

import io.switchboard.platform.security.Scopes;
import io.switchboard.platform.security.TokenClaims;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.server.HandshakeInterceptor;

import java.util.Collection;
import java.util.Map;

/**
 * Authenticates the push handshake: a user token with {@value Scopes#PUSH_CONNECT}, from the
 * {@code Authorization} header or the {@code access_token} query parameter, verified like every
 * API token (signature, issuer, expiry, app and certificate still valid). A refused token does not
 * fail the handshake with an HTTP status: a browser's {@code WebSocket} shows its page nothing of
 * an HTTP answer, only a close code. So the connection is accepted and then closed at once with
 * {@link #TOKEN_REFUSED} (4401) or {@link #NOT_A_PUSH_TOKEN} (4403) and a reason.
 */
class HandshakeAuthorization implements HandshakeInterceptor {

    /** Close code for a missing, malformed, forged or expired token, or one of a suspended or unknown app or revoked certificate. */
    static final int TOKEN_REFUSED = 4401;
    /** Close code for a valid token that is not a user token with {@value Scopes#PUSH_CONNECT}. */
    static final int NOT_A_PUSH_TOKEN = 4403;

    private static final String AUTHENTICATION = HandshakeAuthorization.class.getName() + ".authentication";
    private static final String REFUSAL = HandshakeAuthorization.class.getName() + ".refusal";
    /** RFC 6455 allows 123 bytes of close reason. */
    private static final int MAX_REASON = 120;

    private final JwtDecoder decoder;
    private final DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
    private final JwtAuthenticationConverter authentications = new JwtAuthenticationConverter();

    HandshakeAuthorization(JwtDecoder decoder) {
        this.decoder = decoder;
        this.tokens.setAllowUriQueryParameter(true);
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        String token;
        try {
            token = tokens.resolve(((ServletServerHttpRequest) request).getServletRequest());
        } catch (OAuth2AuthenticationException e) {
            attributes.put(REFUSAL, new CloseStatus(TOKEN_REFUSED, "token malformed"));
            return true;
        }
        if (token == null) {
            attributes.put(REFUSAL, new CloseStatus(TOKEN_REFUSED, "token missing"));
            return true;
        }
        try {
            JwtAuthenticationToken authentication = (JwtAuthenticationToken) authentications.convert(decoder.decode(token));
            if (isPushToken(authentication.getToken(), authentication.getAuthorities())) {
                attributes.put(AUTHENTICATION, authentication);
            } else {
                attributes.put(REFUSAL, new CloseStatus(NOT_A_PUSH_TOKEN,
                        "a user token with scope " + Scopes.PUSH_CONNECT + " is needed"));
            }
        } catch (JwtException e) {
            attributes.put(REFUSAL, new CloseStatus(TOKEN_REFUSED, reason(e)));
        }
        return true;
    }

    /** The verified token of an accepted handshake, or null if it was refused ({@link #refusal}). */
    static JwtAuthenticationToken authentication(WebSocketSession socket) {
        return (JwtAuthenticationToken) socket.getAttributes().get(AUTHENTICATION);
    }

    /** Why the handshake's token was refused: close the session with this. */
    static CloseStatus refusal(WebSocketSession socket) {
        return (CloseStatus) socket.getAttributes().get(REFUSAL);
    }

    /** A user token whose scopes ({@code authorities}, as Spring Security maps them) include {@value Scopes#PUSH_CONNECT}. */
    static boolean isPushToken(Jwt token, Collection<? extends GrantedAuthority> authorities) {
        return TokenClaims.USE_USER.equals(token.getClaimAsString(TokenClaims.TOKEN_USE))
                && authorities.stream().anyMatch(a -> a.getAuthority().equals(Scopes.authority(Scopes.PUSH_CONNECT)));
    }

    /** The validators' own words when a claim was refused (expired, app suspended, ...); else just "invalid". */
    private static String reason(JwtException e) {
        String reason = "token invalid";
        if (e instanceof JwtValidationException invalid && !invalid.getErrors().isEmpty()) {
            OAuth2Error error = invalid.getErrors().iterator().next();
            if (error.getDescription() != null) {
                reason = "token refused: " + error.getDescription();
            }
        }
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        // nothing to do after the upgrade
    }
}
