package io.switchboard.platform.testing;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.ConversationType;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.schemas.Topics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Publishes a group conversation the way membership-service does: one record per member on
 * {@code membership.members}, then the conversation's state on {@code membership.changes}. For
 * tests of the services that follow membership without running membership-service.
 */
public final class TestMembership {

    private TestMembership() {
    }

    /** A group named {@code name}; the first user is its owner. */
    public static void group(String appId, String conversationId, String name, List<String> userIds) {
        for (int i = 0; i < userIds.size(); i++) {
            member(appId, conversationId, userIds.get(i), i == 0 ? MemberRole.OWNER : MemberRole.MEMBER, 1);
        }
        publish(groupState(appId, conversationId, 1, userIds.size()).setName(name).build());
    }

    /** A member record alone, as published when a user joins or changes (the conversation's state not updated). */
    public static void member(String appId, String conversationId, String userId, MemberRole role, long version) {
        publish(memberRecord(appId, conversationId, userId, role, version).build());
    }

    /** A group's state with everything at its default, to adjust before {@link #publish(ConversationState)}. */
    public static ConversationState.Builder groupState(String appId, String conversationId, long version, long memberCount) {
        return ConversationState.newBuilder().setAppId(appId).setConversationId(conversationId)
                .setType(ConversationType.GROUP).setVersion(version).setMemberCount(memberCount)
                .setUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** A member record with defaults, to adjust before {@link #publish(ConversationMember)}. */
    public static ConversationMember.Builder memberRecord(String appId, String conversationId, String userId,
                                                          MemberRole role, long version) {
        return ConversationMember.newBuilder().setAppId(appId).setConversationId(conversationId).setUserId(userId)
                .setRole(role).setJoinedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setConversationVersion(version);
    }

    public static void publish(ConversationState state) {
        TestProducers.sendAvro(Topics.MEMBERSHIP_CHANGES.name(),
                Topics.conversationKey(state.getAppId(), state.getConversationId()), state);
    }

    public static void publish(ConversationMember member) {
        TestProducers.sendAvro(Topics.MEMBERSHIP_MEMBERS.name(),
                Topics.memberKey(member.getAppId(), member.getConversationId(), member.getUserId()), member);
    }

    /** The tombstone of a member record: the user left. */
    public static void removed(String appId, String conversationId, String userId) {
        TestProducers.sendAvro(Topics.MEMBERSHIP_MEMBERS.name(), Topics.memberKey(appId, conversationId, userId), null);
    }
}
