package io.switchboard.message.messages;

import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** Who may read a conversation's messages: its members, and the app that owns it. */
@Component
public class ConversationAccess {

    private final MembershipView membership;

    ConversationAccess(MembershipView membership) {
        this.membership = membership;
    }

    /**
     * The caller, if it may read the conversation; otherwise {@code conversation-not-found}, so a
     * non-member learns nothing about the conversation.
     */
    public Caller reader(Authentication authentication, String conversationId) {
        Caller caller = Caller.of(authentication);
        boolean visible = caller.user()
                ? membership.isMember(caller.appId(), conversationId, caller.subject())
                : membership.find(caller.appId(), conversationId).isPresent();
        if (!visible) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
        }
        return caller;
    }
}
