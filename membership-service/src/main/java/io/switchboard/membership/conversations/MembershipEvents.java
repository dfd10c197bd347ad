package io.switchboard.membership.conversations;

import io.switchboard.events.membership.AddMembersPolicy;
import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.ConversationType;
import io.switchboard.events.membership.MemberChange;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.events.membership.PostingPolicy;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes membership through the outbox, inside the transaction of the change: member records on
 * {@code membership.members} first, then the conversation's new state on {@code membership.changes}.
 * A consumer that has the new state can therefore wait for the members view to catch up and find
 * every member of that version. Each member record says what the change did to the member
 * ({@code change}: joined, role changed, muted, unmuted, updated); leaving is a tombstone.
 */
@Component
class MembershipEvents {

    private final Outbox outbox;

    MembershipEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** {@code members} joined the conversation (created with it, added, or with their directory group). */
    void joined(Conversation conversation, Collection<Conversation.Member> members) {
        changed(conversation, members, MemberChange.JOINED);
    }

    /** A member's role, mute or exemption changed from {@code before} to {@code after}. */
    void memberChanged(Conversation conversation, Conversation.Member before, Conversation.Member after) {
        changed(conversation, List.of(after), changeOf(before, after));
    }

    /** Ownership moved: the new owner's and the previous owner's roles changed. */
    void rolesChanged(Conversation conversation, Collection<Conversation.Member> members) {
        changed(conversation, members, MemberChange.ROLE_CHANGED);
    }

    /** {@code userId} left or was removed: their record is tombstoned. */
    void left(Conversation conversation, String userId) {
        outbox.appendTombstone(Topics.MEMBERSHIP_MEMBERS,
                Topics.memberKey(conversation.appId(), conversation.conversationId(), userId));
        changed(conversation);
    }

    /** The conversation's attributes changed; its members did not. */
    void changed(Conversation conversation) {
        outbox.append(Topics.MEMBERSHIP_CHANGES, Topics.conversationKey(conversation.appId(), conversation.conversationId()),
                toEvent(conversation));
    }

    private void changed(Conversation conversation, Collection<Conversation.Member> members, MemberChange change) {
        for (Conversation.Member member : members) {
            outbox.append(Topics.MEMBERSHIP_MEMBERS,
                    Topics.memberKey(conversation.appId(), conversation.conversationId(), member.userId()),
                    toEvent(conversation, member, change));
        }
        changed(conversation);
    }

    /** One aspect changed: that one; several, only the exemption, or nothing: UPDATED. */
    static MemberChange changeOf(Conversation.Member before, Conversation.Member after) {
        boolean role = before.role() != after.role();
        boolean mute = !Objects.equals(before.mutedUntil(), after.mutedUntil());
        boolean exemption = before.mutedAllExempt() != after.mutedAllExempt();
        if (role && !mute && !exemption) {
            return MemberChange.ROLE_CHANGED;
        }
        if (mute && !role && !exemption) {
            return after.mutedUntil() == null ? MemberChange.UNMUTED : MemberChange.MUTED;
        }
        return MemberChange.UPDATED;
    }

    /** The conversation is gone: its members' records and then its own are tombstoned. */
    void deleted(String appId, String conversationId, Collection<String> memberIds) {
        for (String userId : memberIds) {
            outbox.appendTombstone(Topics.MEMBERSHIP_MEMBERS, Topics.memberKey(appId, conversationId, userId));
        }
        outbox.appendTombstone(Topics.MEMBERSHIP_CHANGES, Topics.conversationKey(appId, conversationId));
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
                .setCreatedAt(c.createdAt())
                .build();
    }

    private static ConversationMember toEvent(Conversation c, Conversation.Member m, MemberChange change) {
        return ConversationMember.newBuilder()
                .setAppId(c.appId())
                .setConversationId(c.conversationId())
                .setUserId(m.userId())
                .setRole(MemberRole.valueOf(m.role().name()))
                .setMutedUntil(m.mutedUntil())
                .setMutedAllExempt(m.mutedAllExempt())
                .setJoinedAt(m.joinedAt())
                .setConversationVersion(c.version())
                .setChange(change)
                .build();
    }
}
