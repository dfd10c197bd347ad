package io.switchboard.push.gateway;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

import java.io.IOException;
import java.time.Instant;

/**
 * One live WebSocket session of a user. Sends go through a bounded buffer: a client that cannot
 * keep up is disconnected instead of slowing the gateway or growing its memory.
 */
final class PushSession {

    private final String sessionId;
    private final Jwt token;
    private final String appId;
    private final String userId;
    private final String deviceId;
    private final Instant connectedAt;
    private final WebSocketSession socket;

    PushSession(WebSocketSession session, Jwt token, String appId, String userId, String deviceId, int bufferBytes,
                int sendTimeLimitMillis) {
        this.sessionId = session.getId();
        this.token = token;
        this.appId = appId;
        this.userId = userId;
        this.deviceId = deviceId;
        this.connectedAt = Instant.now();
        this.socket = new ConcurrentWebSocketSessionDecorator(session, sendTimeLimitMillis, bufferBytes,
                ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
    }

    String sessionId() {
        return sessionId;
    }

    /** The user token the session was opened with. */
    Jwt token() {
        return token;
    }

    String appId() {
        return appId;
    }

    String userId() {
        return userId;
    }

    String deviceId() {
        return deviceId;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    /** Closes the session; the client sees {@code status}. */
    void close(CloseStatus status) {
        try {
            socket.close(status);
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }

    /** Sends a frame; returns {@code false} if the session is gone or overflowed. */
    boolean send(String frame) {
        if (!socket.isOpen()) {
            return false;
        }
        try {
            socket.sendMessage(new TextMessage(frame));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
