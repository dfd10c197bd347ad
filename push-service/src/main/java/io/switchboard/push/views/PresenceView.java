package io.switchboard.push.views;

import io.switchboard.events.presence.PresenceSession;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Where each user is connected, built from {@code presence.changes}. */
@Component
public class PresenceView extends CompactedTopicView<PresenceState> {

    /** Keys of the users with at least one session on each gateway. */
    private final Map<Integer, Set<String>> usersByGateway = new ConcurrentHashMap<>();

    PresenceView(KafkaProperties kafkaProperties) {
        super("presence", Topics.PRESENCE_CHANGES, ViewConsumers.properties(kafkaProperties));
        addListener((key, previous, current, partition, offset) -> {
            gatewaysOf(previous).forEach(gateway -> usersByGateway.getOrDefault(gateway, Set.of()).remove(key));
            gatewaysOf(current).forEach(gateway ->
                    usersByGateway.computeIfAbsent(gateway, g -> ConcurrentHashMap.newKeySet()).add(key));
        });
    }

    public List<PresenceSession> sessions(String appId, String userId) {
        return get(Topics.presenceKey(appId, userId)).map(PresenceState::getSessions).orElse(List.of());
    }

    /** The gateways that hold at least one session of the user. */
    public Set<Integer> gateways(String appId, String userId) {
        return gatewaysOf(get(Topics.presenceKey(appId, userId)).orElse(null));
    }

    /** The presence of every user with at least one session on {@code gateway}. */
    public List<PresenceState> usersOn(int gateway) {
        return usersByGateway.getOrDefault(gateway, Set.of()).stream()
                .map(this::get).flatMap(Optional::stream).toList();
    }

    /** The gateways that hold at least one session of some user. */
    public Set<Integer> gatewaysWithSessions() {
        return usersByGateway.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private static Set<Integer> gatewaysOf(PresenceState state) {
        return state == null ? Set.of()
                : state.getSessions().stream().map(PresenceSession::getGateway).collect(Collectors.toSet());
    }
}
