package io.switchboard.platform.membership;

import io.switchboard.events.membership.ConversationState;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A service's view of membership, built from {@code membership.changes}: which conversations
 * exist and who is in them. It lags membership-service by the time a record takes
 * to cross Kafka; {@link #findFresh} closes that gap for a conversation that was just created.
 */
public class MembershipView extends CompactedTopicView<ConversationState> {

    private static final Duration FRESHNESS_WAIT = Duration.ofSeconds(3);

    public MembershipView(KafkaProperties kafkaProperties) {
        super("membership", Topics.MEMBERSHIP_CHANGES, ViewConsumers.properties(kafkaProperties));
    }

    public Optional<ConversationState> find(String appId, String conversationId) {
        return get(Topics.conversationKey(appId, conversationId));
    }

    /** Like {@link #find}, but when the conversation is unknown, first catches up with the topic. */
    public Optional<ConversationState> findFresh(String appId, String conversationId) {
        Optional<ConversationState> known = find(appId, conversationId);
        if (known.isPresent()) {
            return known;
        }
        try {
            awaitCurrentEnd(FRESHNESS_WAIT);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return find(appId, conversationId);
    }

    public boolean isMember(String appId, String conversationId, String userId) {
        return find(appId, conversationId)
                .map(c -> c.getMembers().stream().anyMatch(m -> m.getUserId().equals(userId)))
                .orElse(false);
    }
}
