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
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < userIds.size(); i++) {
            TestProducers.sendAvro(Topics.MEMBERSHIP_MEMBERS.name(), Topics.memberKey(appId, conversationId, userIds.get(i)),
                    ConversationMember.newBuilder().setAppId(appId).setConversationId(conversationId)
                            .setUserId(userIds.get(i)).setRole(i == 0 ? MemberRole.OWNER : MemberRole.MEMBER)
                            .setJoinedAt(now).setConversationVersion(1).build());
        }
        TestProducers.sendAvro(Topics.MEMBERSHIP_CHANGES.name(), Topics.conversationKey(appId, conversationId),
                ConversationState.newBuilder().setAppId(appId).setConversationId(conversationId)
                        .setType(ConversationType.GROUP).setName(name).setVersion(1).setMemberCount(userIds.size())
                        .setUpdatedAt(now).build());
    }
}
