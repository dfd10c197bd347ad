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
    private final Map<String, Set<String>> conversationsByUser = new ConcurrentHashMap<>();

    public MembersView(KafkaProperties kafkaProperties) {
        super("members", Topics.MEMBERSHIP_MEMBERS, ViewConsumers.properties(kafkaProperties));
        addListener((key, previous, current, partition, offset) -> {
            if (current != null) {
                membersByConversation.computeIfAbsent(conversationOf(key), k -> ConcurrentHashMap.newKeySet())
                        .add(current.getUserId());
                conversationsByUser.computeIfAbsent(userKey(current), k -> ConcurrentHashMap.newKeySet())
                        .add(current.getConversationId());
            } else if (previous != null) {
                removeFrom(membersByConversation, conversationOf(key), previous.getUserId());
                removeFrom(conversationsByUser, userKey(previous), previous.getConversationId());
            }
        });
    }

    /** The user ids of a conversation's members; a live, unmodifiable-by-contract view. */
    Set<String> userIds(String conversationKey) {
        return membersByConversation.getOrDefault(conversationKey, Set.of());
    }

    /** The ids of the conversations a user of an app is a member of; a live, unmodifiable-by-contract view. */
    Set<String> conversationIds(String appId, String userId) {
        return conversationsByUser.getOrDefault(appId + "/" + userId, Set.of());
    }

    private static String userKey(ConversationMember member) {
        return member.getAppId() + "/" + member.getUserId();
    }

    private static void removeFrom(Map<String, Set<String>> index, String key, String value) {
        index.computeIfPresent(key, (k, values) -> {
            values.remove(value);
            return values.isEmpty() ? null : values;
        });
    }

    /** {@code <appId>/<conversationId>/<userId>} -> {@code <appId>/<conversationId>}; user ids hold no '/'. */
    private static String conversationOf(String memberKey) {
        return memberKey.substring(0, memberKey.lastIndexOf('/'));
    }
}
