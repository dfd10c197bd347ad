package io.switchboard.push.gateway;

import io.switchboard.platform.security.Scopes;
import io.switchboard.push.tickets.Tickets;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.server.HandshakeInterceptor;

import java.util.Map;
import java.util.Optional;

/**
 * Authenticates the push handshake: a user token with {@value Scopes#PUSH_CONNECT}, from the
 * {@code Authorization} header, or from a one-use ticket in the {@code ticket} query parameter
 * (browsers, whose WebSocket sends no header: {@link Tickets}), verified like every API token
 * (signature, issuer, expiry, app, certificate and user still valid). No token is taken from the
 * URL: proxies and access logs record URLs. A refused token does not
 * fail the handshake with an HTTP status: a browser's {@code WebSocket} shows its page nothing of
 * an HTTP answer, only a close code. So the connection is accepted and then closed at once with
 * {@link #TOKEN_REFUSED} (4401) or {@link #NOT_A_PUSH_TOKEN} (4403) and a reason.
 * <p>The token is read from the request as the client sent it ({@link HandshakeCredentials#asSent});
 * the WebSocket layers, which keep the handshake for as long as the connection is open, see it
 * without credentials. An accepted handshake leaves a {@link PushPrincipal} for the session.
 */
class HandshakeAuthorization implements HandshakeInterceptor {

    /** Close code for a missing, malformed, forged or expired token, or one of a suspended or unknown app or revoked certificate. */
    static final int TOKEN_REFUSED = 4401;
    /** Close code for a valid token that is not a user token with {@value Scopes#PUSH_CONNECT}. */
    static final int NOT_A_PUSH_TOKEN = 4403;
    /** The token could not be verified for now (RFC 6455's "try again later"). */
    static final int TRY_AGAIN_LATER = 1013;

    private static final String PRINCIPAL = HandshakeAuthorization.class.getName() + ".principal";
    private static final String REFUSAL = HandshakeAuthorization.class.getName() + ".refusal";
    /** RFC 6455 allows 123 bytes of close reason. */
    private static final int MAX_REASON = 120;

    /** The query parameter of a browser's ticket. */
    static final String TICKET = "ticket";

    private final JwtDecoder decoder;
    private final Tickets tickets;
    private final DefaultBearerTokenResolver bearerTokens = new DefaultBearerTokenResolver();

    HandshakeAuthorization(JwtDecoder decoder, Tickets tickets) {
        this.decoder = decoder;
        this.tickets = tickets;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        HttpServletRequest sent = HandshakeCredentials.asSent(((ServletServerHttpRequest) request).getServletRequest());
        String token;
        String ticket = sent.getParameter(TICKET);
        if (ticket != null) {
            token = tickets.consume(ticket).orElse(null);
            if (token == null) {
                attributes.put(REFUSAL, new CloseStatus(TOKEN_REFUSED, "ticket unknown, used or expired"));
                return true;
            }
        } else {
            try {
                token = bearerTokens.resolve(sent);
            } catch (OAuth2AuthenticationException e) {
                attributes.put(REFUSAL, new CloseStatus(TOKEN_REFUSED, "token malformed"));
                return true;
            }
            if (token == null) {
                attributes.put(REFUSAL, new CloseStatus(TOKEN_REFUSED, "token missing"));
                return true;
            }
        }
        try {
            Optional<PushPrincipal> principal = PushPrincipal.of(decoder.decode(token));
            if (principal.isPresent()) {
                attributes.put(PRINCIPAL, principal.get());
            } else {
                attributes.put(REFUSAL, new CloseStatus(NOT_A_PUSH_TOKEN,
                        "a user token with scope " + Scopes.PUSH_CONNECT + " is needed"));
            }
        } catch (BadJwtException e) {
            attributes.put(REFUSAL, new CloseStatus(TOKEN_REFUSED, reason(e)));
        } catch (JwtException e) {
            // the verifier could not run (auth-service's key set unreadable): the token may be good
            attributes.put(REFUSAL, new CloseStatus(TRY_AGAIN_LATER, "token cannot be verified right now: reconnect later"));
        }
        return true;
    }

    /**
     * The principal of an accepted handshake, or null if it was refused ({@link #refusal}). Taken
     * out of the session's attributes: the session keeps it from then on, and a refreshed token
     * must not leave the first one behind in the attributes for the connection's lifetime.
     */
    static PushPrincipal takePrincipal(WebSocketSession socket) {
        return (PushPrincipal) socket.getAttributes().remove(PRINCIPAL);
    }

    /** Why the handshake's token was refused: close the session with this. */
    static CloseStatus refusal(WebSocketSession socket) {
        return (CloseStatus) socket.getAttributes().get(REFUSAL);
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
