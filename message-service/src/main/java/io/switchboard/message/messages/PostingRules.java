package io.switchboard.message.messages;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Collection;

/**
 * Who may post what, decided from the service's membership view: a user must be a member allowed
 * to post now (archive, admins-only, mutes); an app posts in any of its conversations that is not
 * archived. Mentioned users must be members; only the owner, admins and the app may mention all.
 */
@Component
class PostingRules {

    private final MembershipView membership;

    PostingRules(MembershipView membership) {
        this.membership = membership;
    }

    /**
     * Waits (briefly, once for all of them) until the view knows each conversation, in case one was
     * created a moment ago. Called on the request's own thread before storing, so the transactions
     * that store messages never wait for Kafka.
     */
    void awaitKnown(String appId, Collection<String> conversationIds) {
        membership.awaitConversations(appId, conversationIds, MembershipView.freshnessBudget());
    }

    void checkPoster(Caller caller, String conversationId) {
        ConversationState conversation = membership.find(caller.appId(), conversationId)
                .orElseThrow(() -> new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId));
        if (!caller.user()) {
            if (conversation.getArchived()) {
                throw archived(conversationId);
            }
            return;
        }
        switch (membership.postingRefusal(caller.appId(), conversationId, caller.subject(), Instant.now())) {
            case NONE -> {
            }
            case NOT_A_MEMBER -> throw new ApiException(ErrorCode.NOT_A_MEMBER,
                    caller.subject() + " is not a member of conversation " + conversationId);
            case ARCHIVED -> throw archived(conversationId);
            case ADMINS_ONLY -> throw new ApiException(ErrorCode.POSTING_ADMINS_ONLY,
                    "Only the owner and admins may post in conversation " + conversationId);
            case MUTED -> throw new ApiException(ErrorCode.MEMBER_MUTED,
                    caller.subject() + " is muted in conversation " + conversationId);
            case MUTED_ALL -> throw new ApiException(ErrorCode.CONVERSATION_MUTED,
                    "Conversation " + conversationId + " is muted; only the owner, admins and allowed members may post");
        }
    }

    void checkMentions(Caller caller, String conversationId, Content content) {
        for (String userId : content.mentions()) {
            if (!membership.isMember(caller.appId(), conversationId, userId)) {
                throw new ApiException(ErrorCode.MENTION_NOT_MEMBER,
                        userId + " is not a member of conversation " + conversationId);
            }
        }
        if (content.mentionAll() && caller.user()) {
            MemberRole role = membership.member(caller.appId(), conversationId, caller.subject())
                    .map(ConversationMember::getRole).orElse(MemberRole.MEMBER);
            if (role == MemberRole.MEMBER) {
                throw new ApiException(ErrorCode.ROLE_NOT_ALLOWED, "Only the owner and admins may mention everyone");
            }
        }
    }

    private static ApiException archived(String conversationId) {
        return new ApiException(ErrorCode.CONVERSATION_ARCHIVED, "Conversation " + conversationId + " is archived");
    }
}
