package io.switchboard.platform.membership;

import io.switchboard.events.membership.ConversationState;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.Optional;

/**
 * A service's view of membership, built from {@code membership.changes}: which conversations
 * exist and who is in them. It lags membership-service by the time a record takes
 * to cross Kafka; {@link #findFresh} closes that gap for a conversation that was just created.
 */
public class MembershipView extends CompactedTopicView<ConversationState> {

    private static final Duration FRESHNESS_WAIT = Duration.ofSeconds(5);

    public MembershipView(KafkaProperties kafkaProperties) {
        super("membership", Topics.MEMBERSHIP_CHANGES, ViewConsumers.properties(kafkaProperties));
    }

    public Optional<ConversationState> find(String appId, String conversationId) {
        return get(Topics.conversationKey(appId, conversationId));
    }

    /**
     * Like {@link #find}, but waits (up to five seconds) for a conversation that is not known yet,
     * e.g. one created a moment ago whose state is still on its way.
     */
    public Optional<ConversationState> findFresh(String appId, String conversationId) {
        return awaitKey(Topics.conversationKey(appId, conversationId), FRESHNESS_WAIT);
    }

    public boolean isMember(String appId, String conversationId, String userId) {
        return find(appId, conversationId)
                .map(c -> c.getMembers().stream().anyMatch(m -> m.getUserId().equals(userId)))
                .orElse(false);
    }
}
