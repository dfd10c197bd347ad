package io.switchboard.membership.conversations;

import io.switchboard.events.membership.AddMembersPolicy;
import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.ConversationType;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.events.membership.PostingPolicy;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Publishes membership through the outbox, inside the transaction of the change: member records on
 * {@code membership.members} first, then the conversation's new state on {@code membership.changes}.
 * A consumer that has the new state can therefore wait for the members view to catch up and find
 * every member of that version.
 */
@Component
class MembershipEvents {

    private final Outbox outbox;

    MembershipEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The conversation changed; {@code changedMembers} joined or changed, {@code removedUserIds} left. */
    void changed(Conversation conversation, Collection<Conversation.Member> changedMembers,
                 Collection<String> removedUserIds) {
        for (Conversation.Member member : changedMembers) {
            outbox.append(Topics.MEMBERSHIP_MEMBERS,
                    Topics.memberKey(conversation.appId(), conversation.conversationId(), member.userId()),
                    toEvent(conversation, member));
        }
        for (String userId : removedUserIds) {
            outbox.appendTombstone(Topics.MEMBERSHIP_MEMBERS,
                    Topics.memberKey(conversation.appId(), conversation.conversationId(), userId));
        }
        outbox.append(Topics.MEMBERSHIP_CHANGES, Topics.conversationKey(conversation.appId(), conversation.conversationId()),
                toEvent(conversation));
    }

    void changed(Conversation conversation) {
        changed(conversation, List.of(), List.of());
    }

    /** The conversation is gone: its members' records and then its own are tombstoned. */
    void deleted(Conversation conversation, Collection<String> memberIds) {
        for (String userId : memberIds) {
            outbox.appendTombstone(Topics.MEMBERSHIP_MEMBERS,
                    Topics.memberKey(conversation.appId(), conversation.conversationId(), userId));
        }
        outbox.appendTombstone(Topics.MEMBERSHIP_CHANGES,
                Topics.conversationKey(conversation.appId(), conversation.conversationId()));
    }

    private static ConversationState toEvent(Conversation c) {
        return ConversationState.newBuilder()
                .setAppId(c.appId())
                .setConversationId(c.conversationId())
                .setType(ConversationType.valueOf(c.type().name()))
                .setName(c.name())
                .setVersion(c.version())
                .setMemberCount(c.memberCount())
                .setArchived(c.archived())
                .setMetadata(Map.copyOf(c.metadata()))
                .setPostingPolicy(PostingPolicy.valueOf(c.postingPolicy().name()))
                .setAddMembersPolicy(AddMembersPolicy.valueOf(c.addMembersPolicy().name()))
                .setMutedAll(c.mutedAll())
                .setSource(c.source())
                .setUpdatedAt(c.updatedAt())
                .build();
    }

    private static ConversationMember toEvent(Conversation c, Conversation.Member m) {
        return ConversationMember.newBuilder()
                .setAppId(c.appId())
                .setConversationId(c.conversationId())
                .setUserId(m.userId())
                .setRole(MemberRole.valueOf(m.role().name()))
                .setMutedUntil(m.mutedUntil())
                .setMutedAllExempt(m.mutedAllExempt())
                .setJoinedAt(m.joinedAt())
                .setConversationVersion(c.version())
                .build();
    }
}
