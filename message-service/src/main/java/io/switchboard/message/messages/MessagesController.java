package io.switchboard.message.messages;

import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Message history of a conversation, for its members and for the app that owns it. */
@RestController
class MessagesController {

    private final Messages messages;
    private final MembershipView membership;

    MessagesController(Messages messages, MembershipView membership) {
        this.messages = messages;
        this.membership = membership;
    }

    record MessageResponse(String messageId, String conversationId, long seq, String senderId, String senderType,
                           String contentType, String text, Message.Origin origin, Instant createdAt) {
        static MessageResponse of(Message m) {
            return new MessageResponse(m.messageId(), m.conversationId(), m.seq(), m.senderId(), m.senderType().name(),
                    m.contentType().name(), m.text(), m.origin(), m.createdAt());
        }
    }

    record HistoryPage(List<MessageResponse> messages, Long nextAfterSeq) {
    }

    /** Messages after {@code afterSeq} (exclusive), oldest first; {@code nextAfterSeq} continues the page. */
    @GetMapping("/v1/conversations/{conversationId}/messages")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    HistoryPage history(@PathVariable String conversationId,
                        @RequestParam(defaultValue = "0") @Min(0) long afterSeq,
                        @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                        Authentication authentication) {
        Caller caller = Caller.of(authentication);
        boolean visible = caller.user()
                ? membership.isMember(caller.appId(), conversationId, caller.subject())
                : membership.find(caller.appId(), conversationId).isPresent();
        if (!visible) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
        }
        List<MessageResponse> page = messages.history(caller.appId(), conversationId, afterSeq, limit).stream()
                .map(MessageResponse::of).toList();
        Long next = page.size() == limit ? page.getLast().seq() : null;
        return new HistoryPage(page, next);
    }
}
