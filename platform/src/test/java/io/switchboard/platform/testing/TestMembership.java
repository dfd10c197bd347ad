package io.switchboard.platform.testing;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.ConversationType;
import io.switchboard.events.membership.MemberChange;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.events.membership.UserState;
import io.switchboard.schemas.SystemConversations;
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

    /** A member record of a user who joined, to adjust before {@link #publish(ConversationMember)}. */
    public static ConversationMember.Builder memberRecord(String appId, String conversationId, String userId,
                                                          MemberRole role, long version) {
        return ConversationMember.newBuilder().setAppId(appId).setConversationId(conversationId).setUserId(userId)
                .setRole(role).setJoinedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setConversationVersion(version)
                .setChange(MemberChange.JOINED);
    }

    public static void publish(ConversationState state) {
        TestProducers.sendAvro(Topics.MEMBERSHIP_CHANGES.name(),
                Topics.conversationKey(state.getAppId(), state.getConversationId()), state);
    }

    public static void publish(ConversationMember member) {
        TestProducers.sendAvro(Topics.MEMBERSHIP_MEMBERS.name(),
                Topics.memberKey(member.getAppId(), member.getConversationId(), member.getUserId()), member);
    }

    /** A user as membership-service publishes them on membership.users. */
    public static void user(String appId, String userId, String locale, List<String> departmentIds, List<String> tags) {
        TestProducers.sendAvro(Topics.MEMBERSHIP_USERS.name(), Topics.userKey(appId, userId),
                UserState.newBuilder().setAppId(appId).setUserId(userId).setLocale(locale).setActive(true)
                        .setDepartmentIds(departmentIds).setTags(tags).setVersion(1)
                        .setUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build());
    }

    /** An active user without locale, department or tag. */
    public static void user(String appId, String userId) {
        user(appId, userId, null, List.of(), List.of());
    }

    /** A deactivated user. */
    public static void deactivatedUser(String appId, String userId) {
        TestProducers.sendAvro(Topics.MEMBERSHIP_USERS.name(), Topics.userKey(appId, userId),
                UserState.newBuilder().setAppId(appId).setUserId(userId).setActive(false).setVersion(2)
                        .setUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build());
    }

    /** A user's system conversation for a source, as membership-service creates it on request. */
    public static void systemConversation(String appId, String userId, String source) {
        String conversationId = SystemConversations.id(userId, source);
        member(appId, conversationId, userId, MemberRole.MEMBER, 1);
        publish(groupState(appId, conversationId, 1, 1).setType(ConversationType.SYSTEM).setSource(source).build());
    }

    /** The tombstone of a conversation's state: it was deleted now. */
    public static void deleted(String appId, String conversationId) {
        deleted(appId, conversationId, Instant.now());
    }

    /** The tombstone of a conversation's state, stamped with when it was deleted (as the outbox does). */
    public static void deleted(String appId, String conversationId, Instant deletedAt) {
        TestProducers.sendTombstone(Topics.MEMBERSHIP_CHANGES.name(), Topics.conversationKey(appId, conversationId),
                deletedAt);
    }

    /** The tombstone of a member record: the user left. */
    public static void removed(String appId, String conversationId, String userId) {
        TestProducers.sendAvro(Topics.MEMBERSHIP_MEMBERS.name(), Topics.memberKey(appId, conversationId, userId), null);
    }
}
