package io.switchboard.push.gateway;

import io.switchboard.events.presence.PresenceSession;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.push.PushProperties;
import io.switchboard.push.views.PresenceView;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a user's presence after a session of this gateway opened or closed: the sessions
 * other gateways hold (from the presence view) plus this gateway's current ones.
 */
@Component
class PresencePublisher {

    private final KafkaTemplate<String, Object> kafka;
    private final PresenceView presence;
    private final SessionRegistry sessions;
    private final int gateway;

    PresencePublisher(KafkaTemplate<String, Object> kafka, PresenceView presence, SessionRegistry sessions,
                      PushProperties properties) {
        this.kafka = kafka;
        this.presence = presence;
        this.sessions = sessions;
        this.gateway = properties.gatewayOrdinal();
    }

    /** Publishes and waits for the broker; returns where the record was written. */
    synchronized RecordMetadata publish(String appId, String userId) throws Exception {
        List<PresenceSession> all = new ArrayList<>();
        presence.sessions(appId, userId).stream().filter(s -> s.getGateway() != gateway).forEach(all::add);
        for (PushSession session : sessions.sessionsOf(appId, userId)) {
            all.add(PresenceSession.newBuilder()
                    .setSessionId(gateway + ":" + session.sessionId())
                    .setDeviceId(session.deviceId())
                    .setGateway(gateway)
                    .setConnectedAt(session.connectedAt().truncatedTo(ChronoUnit.MILLIS))
                    .build());
        }
        PresenceState state = PresenceState.newBuilder()
                .setAppId(appId)
                .setUserId(userId)
                .setSessions(all)
                .setUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
        return kafka.send(Topics.PRESENCE_CHANGES.name(), Topics.presenceKey(appId, userId), state)
                .get(30, TimeUnit.SECONDS).getRecordMetadata();
    }
}
