package io.switchboard.push.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.apps.AppAccessValidator;
import io.switchboard.platform.apps.AppStateView;
import io.switchboard.platform.security.Caller;
import io.switchboard.push.PushProperties;
import io.switchboard.push.webhooks.cards.CardActions;
import io.switchboard.push.views.PresenceView;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket endpoint of end users. On connect the session's presence is published and the
 * handler waits until the fanout stage's presence view has applied it, so every message fanned
 * out after the {@code session.ready} frame reaches this session; the client then pulls history
 * from its last seq (covering anything earlier) and deduplicates by seq.
 */
@Component
class PushSocketHandler extends TextWebSocketHandler {

    /** Close code when the presence could not be established: the client should reconnect. */
    static final CloseStatus PRESENCE_UNAVAILABLE = new CloseStatus(4503, "presence unavailable, reconnect");
    /** Close code when the session's token stopped being valid (app suspended or deleted, certificate revoked). */
    static final CloseStatus TOKEN_REVOKED = new CloseStatus(4401, "token revoked");

    private static final Logger log = LoggerFactory.getLogger(PushSocketHandler.class);

    private final SessionRegistry sessions;
    private final PresencePublisher presencePublisher;
    private final PresenceView presence;
    private final Frames frames;
    private final PushProperties properties;
    private final AppAccessValidator appAccess;
    private final TokenRefresh tokenRefresh;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final CardActions cardActions;
    private final Map<String, PushSession> bySocket = new ConcurrentHashMap<>();

    PushSocketHandler(SessionRegistry sessions, PresencePublisher presencePublisher, PresenceView presence,
                      Frames frames, PushProperties properties, AppStateView apps, AppAccessValidator appAccess,
                      TokenRefresh tokenRefresh, JsonMapper json, MeterRegistry meters, CardActions cardActions) {
        this.sessions = sessions;
        this.presencePublisher = presencePublisher;
        this.presence = presence;
        this.frames = frames;
        this.properties = properties;
        this.appAccess = appAccess;
        this.tokenRefresh = tokenRefresh;
        this.json = json;
        this.meters = meters;
        this.cardActions = cardActions;
        apps.addListener((appId, previous, current, partition, offset) -> closeRevokedSessions(appId));
    }

    /**
     * Re-checks the open sessions of an app whose state changed and closes those whose token is no
     * longer acceptable: a suspension, deletion or certificate revocation ends live sessions as soon
     * as this gateway reads it, not only new handshakes.
     */
    private void closeRevokedSessions(String appId) {
        for (PushSession session : sessions.sessionsOfApp(appId)) {
            appAccess.refusal(session.token()).ifPresent(reason -> session.close(TOKEN_REVOKED));
        }
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) throws Exception {
        Jwt token = ((JwtAuthenticationToken) socket.getPrincipal()).getToken();
        Caller caller = Caller.of(token);
        PushSession session = new PushSession(socket, token, caller.appId(), caller.subject(), caller.deviceId(),
                properties.sessionBufferBytes(), properties.sendTimeLimit());
        bySocket.put(socket.getId(), session);
        sessions.add(session);
        try {
            RecordMetadata written = presencePublisher.publish(session.appId(), session.userId());
            awaitPresenceApplied(new TopicPartition(written.topic(), written.partition()), written.offset());
        } catch (Exception e) {
            log.warn("Could not establish presence for a session of app {}: {}", session.appId(), e.toString());
            socket.close(PRESENCE_UNAVAILABLE);
            return;
        }
        session.send(frames.sessionReady(session, properties.heartbeatInterval()));
    }

    /**
     * Frames a client may send: {@code ping} (answered with {@code pong}), {@code auth.refresh}
     * (answered with {@code auth.refreshed}, or an {@code error} saying why not) and {@code card.action}
     * (a click on a card's callback button, for the app's webhooks: {@link CardActions}). Anything a client
     * sends, pongs included, shows that it is alive ({@link SessionLiveness}).
     */
    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        PushSession session = bySocket.get(socket.getId());
        if (session == null) {
            return;
        }
        session.heard();
        JsonNode frame;
        try {
            frame = json.readTree(message.getPayload());
        } catch (JacksonException e) {
            session.send(frames.error("malformed-frame", "A frame is a JSON object with a type"));
            return;
        }
        switch (frame.path("type").asString("")) {
            case "ping" -> session.send(frames.pong());
            case "auth.refresh" -> {
                TokenRefresh.Refusal refusal = tokenRefresh.refresh(session, frame.path("token").asString(null));
                session.send(refusal == null ? frames.authRefreshed(session.expiresAt())
                        : frames.error(refusal.code(), refusal.detail()));
            }
            case "card.action" -> session.send(cardActions.click(session.appId(), session.userId(), session.deviceId(), frame));
            default -> session.send(frames.error("unsupported-frame",
                    "Protocol " + Frames.PROTOCOL_VERSION + " accepts the frames ping, auth.refresh and card.action"));
        }
        session.heard();   // the time this gateway took to answer is not the client's silence
    }

    @Override
    protected void handlePongMessage(WebSocketSession socket, PongMessage message) {
        PushSession session = bySocket.get(socket.getId());
        if (session != null) {
            session.heard();
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        PushSession session = bySocket.remove(socket.getId());
        if (session == null) {
            return;
        }
        sessions.remove(session);
        meters.counter("switchboard.push.sessions.closed", "code", String.valueOf(status.getCode())).increment();
        try {
            presencePublisher.publish(session.appId(), session.userId());
        } catch (Exception e) {
            log.warn("Could not publish presence after a session of app {} closed: {}", session.appId(), e.toString());
        }
    }

    private void awaitPresenceApplied(TopicPartition partition, long offset) throws InterruptedException {
        Instant deadline = Instant.now().plus(properties.presenceWait());
        while (!presence.hasApplied(partition, offset)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("presence not applied within " + properties.presenceWait());
            }
            Thread.sleep(Duration.ofMillis(5));
        }
    }
}
