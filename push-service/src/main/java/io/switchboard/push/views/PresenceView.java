package io.switchboard.push.views;

import io.switchboard.events.presence.PresenceSession;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Where each user is connected, built from {@code presence.changes}. */
@Component
public class PresenceView extends CompactedTopicView<PresenceState> {

    PresenceView(KafkaProperties kafkaProperties) {
        super("presence", Topics.PRESENCE_CHANGES, ViewConsumers.properties(kafkaProperties));
    }

    public List<PresenceSession> sessions(String appId, String userId) {
        return get(Topics.presenceKey(appId, userId)).map(PresenceState::getSessions).orElse(List.of());
    }

    /** The gateways that hold at least one session of the user. */
    public Set<Integer> gateways(String appId, String userId) {
        return sessions(appId, userId).stream().map(PresenceSession::getGateway).collect(Collectors.toSet());
    }
}
