package io.switchboard.membership.conversations;

import io.switchboard.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Conversations and their members, scoped to the caller's app. */
@RestController
@RequestMapping("/v1/conversations")
class ConversationsController {

    static final String ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";

    private final Conversations conversations;

    ConversationsController(Conversations conversations) {
        this.conversations = conversations;
    }

    record MemberDto(@NotNull @Pattern(regexp = ID) String userId, Conversation.Role role) {
        Conversation.Member toMember() {
            return new Conversation.Member(userId, role == null ? Conversation.Role.MEMBER : role);
        }
    }

    record CreateConversationRequest(@Pattern(regexp = ID) String conversationId,
                                     @NotNull Conversation.Type type,
                                     @Size(max = 200) String name,
                                     @Size(max = 1000) List<@Valid @NotNull MemberDto> members) {
    }

    record AddMembersRequest(@NotEmpty @Size(max = 1000) List<@Valid @NotNull MemberDto> members) {
    }

    record ConversationResponse(String conversationId, String type, String name, long version,
                                List<MemberDto> members, Instant createdAt, Instant updatedAt) {
        static ConversationResponse of(Conversation c) {
            return new ConversationResponse(c.conversationId(), c.type().name(), c.name(), c.version(),
                    c.members().stream().map(m -> new MemberDto(m.userId(), m.role())).toList(),
                    c.createdAt(), c.updatedAt());
        }
    }

    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ResponseEntity<ConversationResponse> createConversation(@Valid @RequestBody CreateConversationRequest request,
                                                            Authentication authentication) {
        List<Conversation.Member> members = request.members() == null ? List.of()
                : request.members().stream().map(MemberDto::toMember).toList();
        Conversations.Outcome outcome = conversations.create(Caller.of(authentication), request.conversationId(),
                request.type(), request.name(), members);
        ConversationResponse body = ConversationResponse.of(outcome.conversation());
        return outcome.created()
                ? ResponseEntity.created(URI.create("/v1/conversations/" + body.conversationId())).body(body)
                : ResponseEntity.ok(body);
    }

    @GetMapping("/{conversationId}")
    @PreAuthorize("hasAuthority('SCOPE_conversations:read')")
    ConversationResponse getConversation(@PathVariable String conversationId, Authentication authentication) {
        return ConversationResponse.of(conversations.get(Caller.of(authentication), conversationId));
    }

    @PostMapping("/{conversationId}/members")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ConversationResponse addMembers(@PathVariable String conversationId, @Valid @RequestBody AddMembersRequest request,
                                    Authentication authentication) {
        return ConversationResponse.of(conversations.addMembers(Caller.of(authentication), conversationId,
                request.members().stream().map(MemberDto::toMember).toList()));
    }

    @DeleteMapping("/{conversationId}/members/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ConversationResponse removeMember(@PathVariable String conversationId, @PathVariable String userId,
                                      Authentication authentication) {
        return ConversationResponse.of(conversations.removeMember(Caller.of(authentication), conversationId, userId));
    }
}
