package io.switchboard.platform.membership;

import io.switchboard.events.membership.ConversationState;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/** The conversations of every app, from {@code membership.changes}. Queried through {@link MembershipView}. */
public class ConversationsView extends CompactedTopicView<ConversationState> {

    public ConversationsView(KafkaProperties kafkaProperties) {
        super("conversations", Topics.MEMBERSHIP_CHANGES, ViewConsumers.properties(kafkaProperties));
    }
}
