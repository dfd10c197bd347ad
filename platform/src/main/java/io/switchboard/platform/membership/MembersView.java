package io.switchboard.platform.membership;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members of every conversation, from {@code membership.members} (one record per member),
 * indexed by conversation so a group's members are found without scanning every key. Queried
 * through {@link MembershipView}.
 */
public class MembersView extends CompactedTopicView<ConversationMember> {

    private final Map<String, Set<String>> membersByConversation = new ConcurrentHashMap<>();

    public MembersView(KafkaProperties kafkaProperties) {
        super("members", Topics.MEMBERSHIP_MEMBERS, ViewConsumers.properties(kafkaProperties));
        addListener((key, previous, current, partition, offset) -> {
            if (current != null) {
                membersByConversation.computeIfAbsent(conversationOf(key), k -> ConcurrentHashMap.newKeySet())
                        .add(current.getUserId());
            } else if (previous != null) {
                membersByConversation.computeIfPresent(conversationOf(key), (k, users) -> {
                    users.remove(previous.getUserId());
                    return users.isEmpty() ? null : users;
                });
            }
        });
    }

    /** The user ids of a conversation's members; a live, unmodifiable-by-contract view. */
    Set<String> userIds(String conversationKey) {
        return membersByConversation.getOrDefault(conversationKey, Set.of());
    }

    /** {@code <appId>/<conversationId>/<userId>} -> {@code <appId>/<conversationId>}; user ids hold no '/'. */
    private static String conversationOf(String memberKey) {
        return memberKey.substring(0, memberKey.lastIndexOf('/'));
    }
}
