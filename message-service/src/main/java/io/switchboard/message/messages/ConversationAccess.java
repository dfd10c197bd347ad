package io.switchboard.message.messages;

import io.switchboard.message.erasure.ConversationErasure;
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
    private final ConversationErasure erasure;

    ConversationAccess(MembershipView membership, ConversationErasure erasure) {
        this.membership = membership;
        this.erasure = erasure;
    }

    /**
     * The caller, if it may read the conversation; otherwise {@code conversation-not-found}, so a
     * non-member learns nothing about the conversation. A conversation created again under the id
     * of a deleted one has none of the deleted one's history ({@link ConversationErasure#catchUp}).
     */
    public Caller reader(Authentication authentication, String conversationId) {
        Caller caller = Caller.of(authentication);
        boolean visible = caller.user()
                ? membership.isMember(caller.appId(), conversationId, caller.subject())
                : membership.find(caller.appId(), conversationId).isPresent();
        if (!visible) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
        }
        erasure.catchUp(caller.appId(), conversationId);
        return caller;
    }
}
