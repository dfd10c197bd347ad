package io.switchboard.push.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.push.PushProperties;
import io.switchboard.push.webhooks.cards.CardActions;
import io.switchboard.push.views.PresenceView;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** As many conversations as message-service's sync accepts in one request. */
    static final int MAX_RESUMED_CONVERSATIONS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(PushSocketHandler.class);

    private final SessionRegistry sessions;
    private final PresencePublisher presencePublisher;
    private final PresenceView presence;
    private final Frames frames;
    private final PushProperties properties;
    private final TokenRefresh tokenRefresh;
    private final SessionResume resume;
    private final DeviceLimit deviceLimit;
    private final PresenceSubscriptions presenceSubscriptions;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final CardActions cardActions;
    private final ClientMessages clientMessages;
    private final Map<String, PushSession> bySocket = new ConcurrentHashMap<>();

    PushSocketHandler(SessionRegistry sessions, PresencePublisher presencePublisher, PresenceView presence,
                      Frames frames, PushProperties properties, TokenRefresh tokenRefresh, SessionResume resume, DeviceLimit deviceLimit,
                      PresenceSubscriptions presenceSubscriptions, CardActions cardActions,
                      ClientMessages clientMessages, JsonMapper json, MeterRegistry meters) {
        this.sessions = sessions;
        this.presencePublisher = presencePublisher;
        this.presence = presence;
        this.frames = frames;
        this.properties = properties;
        this.tokenRefresh = tokenRefresh;
        this.resume = resume;
        this.deviceLimit = deviceLimit;
        this.presenceSubscriptions = presenceSubscriptions;
        this.json = json;
        this.meters = meters;
        this.cardActions = cardActions;
        this.clientMessages = clientMessages;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) throws Exception {
        PushPrincipal principal = HandshakeAuthorization.takePrincipal(socket);
        if (principal == null) {
            refuse(socket, HandshakeAuthorization.refusal(socket));
            return;
        }
        PushSession session = new PushSession(socket, principal,
                properties.sessionBufferBytes(), properties.sendTimeLimit());
        if (announcesResume(socket)) {
            session.awaitResume();
        }
        if (!deviceLimit.admit(session)) {
            refuse(socket, DeviceLimit.TOO_MANY_DEVICES);
            return;
        }
        bySocket.put(socket.getId(), session);
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

    /** Closes a connection that never became a session, counted with the other closes by code. */
    private void refuse(WebSocketSession socket, CloseStatus status) throws IOException {
        meters.counter("switchboard.push.sessions.closed", "code", String.valueOf(status.getCode())).increment();
        socket.close(status);
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
        if (session == null || session.isClosing()) {
            return;
        }
        session.heard();
        String whole;
        try {
            whole = clientMessages.add(socket.getId(), message.getPayload(), message.isLast());
        } catch (ClientMessages.Refused e) {
            session.close(e.status());
            return;
        }
        if (whole == null) {
            if (!bySocket.containsKey(socket.getId())) {
                clientMessages.discard(socket.getId());   // closed meanwhile: its close did not see this part
            }
            return;
        }
        handleFrame(session, whole);
    }

    /**
     * Tomcat reads client frames through a buffer of {@code client-frame-buffer-chars} per session
     * and hands longer messages over in parts, which {@link ClientMessages} joins: the buffer every
     * session holds stays small while a {@code resume} of 10,000 conversations still fits.
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    private void handleFrame(PushSession session, String text) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
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
            case "resume" -> resume(session, frame);
            case "fetch" -> fetch(session, frame);
            case "presence.subscribe" -> subscribePresence(session, frame);
            case "presence.unsubscribe" -> presenceSubscriptions.unsubscribe(session, userIds(frame));
            case "card.action" -> session.send(cardActions.click(session.appId(), session.userId(), session.deviceId(), frame));
            default -> session.send(frames.error("unsupported-frame", "Protocol " + Frames.PROTOCOL_VERSION
                    + " accepts the frames ping, auth.refresh, resume, fetch, presence.subscribe, presence.unsubscribe and card.action"));
        }
        session.heard();   // the time this gateway took to answer is not the client's silence
    }

    /** {@code resume}: {@code conversations} maps conversation ids to the last change seq the client saw. */
    private void resume(PushSession session, JsonNode frame) {
        JsonNode conversations = frame.path("conversations");
        if (!conversations.isObject() || conversations.size() > MAX_RESUMED_CONVERSATIONS
                || conversations.valueStream().anyMatch(seq -> !seq.canConvertToLong() || seq.asLong() < 0)) {
            session.send(frames.error("invalid-resume", "resume needs conversations: an object of at most "
                    + MAX_RESUMED_CONVERSATIONS + " conversation ids to change seqs (0 or more)"));
            return;
        }
        Map<String, Long> known = new LinkedHashMap<>();
        conversations.properties().forEach(e -> known.put(e.getKey(), e.getValue().asLong()));
        resume.resume(session, known);
    }

    /** {@code fetch}: the changes of {@code conversationId} after {@code afterChangeSeq}. */
    private void fetch(PushSession session, JsonNode frame) {
        String conversationId = frame.path("conversationId").asString("");
        JsonNode after = frame.path("afterChangeSeq");
        if (conversationId.isBlank() || !after.canConvertToLong() || after.asLong() < 0) {
            session.send(frames.error("invalid-fetch", "fetch needs a conversationId and an afterChangeSeq of 0 or more"));
            return;
        }
        resume.fetch(session, conversationId, after.asLong());
    }

    /** {@code presence.subscribe}: {@code userIds} (contacts), or the members of {@code conversationId}. */
    private void subscribePresence(PushSession session, JsonNode frame) {
        String conversationId = frame.path("conversationId").asString(null);
        List<String> userIds = userIds(frame);
        if (conversationId == null && userIds.isEmpty()) {
            session.send(frames.error("invalid-presence-subscription", "Give userIds (a list of user ids) or a conversationId"));
            return;
        }
        PresenceSubscriptions.Refusal refusal = presenceSubscriptions.subscribe(session, userIds, conversationId);
        if (refusal != null) {
            session.send(frames.error(refusal.code(), refusal.detail()));
        }
    }

    private static List<String> userIds(JsonNode frame) {
        return frame.path("userIds").valueStream().filter(JsonNode::isString).map(JsonNode::asString).toList();
    }

    /** The handshake's {@code resume=true}: hold live frames until the client's {@code resume} is answered. */
    private static boolean announcesResume(WebSocketSession socket) {
        return socket.getUri() != null && "true".equals(UriComponentsBuilder.fromUri(socket.getUri()).build()
                .getQueryParams().getFirst("resume"));
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
        clientMessages.discard(socket.getId());
        sessions.remove(session);
        presenceSubscriptions.sessionClosed(session);
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
