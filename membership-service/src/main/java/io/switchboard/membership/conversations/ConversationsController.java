package io.switchboard.membership.conversations;

import io.switchboard.membership.Ids;
import io.switchboard.membership.conversations.Conversation.AddMembersPolicy;
import io.switchboard.membership.conversations.Conversation.PostingPolicy;
import io.switchboard.membership.conversations.Conversation.Type;
import io.switchboard.membership.conversations.MembersController.NewMember;
import io.switchboard.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Conversations, scoped to the caller's app. Members have their own resource ({@link MembersController}). */
@RestController
class ConversationsController {

    private final Conversations conversations;

    ConversationsController(Conversations conversations) {
        this.conversations = conversations;
    }

    record CreateConversationRequest(@Pattern(regexp = Ids.PATTERN) String conversationId,
                                     @NotNull Type type,
                                     @Size(max = 200) String name,
                                     @Size(max = 50) Map<@Size(max = 64) String, @Size(max = 1024) String> metadata,
                                     PostingPolicy postingPolicy,
                                     AddMembersPolicy addMembersPolicy,
                                     @Pattern(regexp = Ids.PATTERN) String source,
                                     @Size(max = 1000) List<@Valid @NotNull NewMember> members) {
    }

    record ChangeConversationRequest(@Size(min = 1, max = 200) String name,
                                     @Size(max = 50) Map<@Size(max = 64) String, @Size(max = 1024) String> metadata,
                                     PostingPolicy postingPolicy,
                                     AddMembersPolicy addMembersPolicy,
                                     Boolean mutedAll,
                                     Boolean archived) {
    }

    record ConversationResponse(String conversationId, String type, String name, long version, long memberCount,
                                boolean archived, Map<String, String> metadata, String postingPolicy,
                                String addMembersPolicy, boolean mutedAll, String source, Instant createdAt,
                                Instant updatedAt) {
        static ConversationResponse of(Conversation c) {
            return new ConversationResponse(c.conversationId(), c.type().name(), c.name(), c.version(), c.memberCount(),
                    c.archived(), c.metadata(), c.postingPolicy().name(), c.addMembersPolicy().name(), c.mutedAll(),
                    c.source(), c.createdAt(), c.updatedAt());
        }
    }

    /** A page of a user's conversations; {@code nextCursor} (null on the last page) continues it. */
    record ConversationPage(List<ConversationResponse> conversations, String nextCursor) {
    }

    @PostMapping("/v1/conversations")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ResponseEntity<ConversationResponse> createConversation(@Valid @RequestBody CreateConversationRequest request,
                                                            Authentication authentication) {
        Conversations.Outcome outcome = conversations.create(Caller.of(authentication), new Conversations.NewConversation(
                request.conversationId(), request.type(), request.name(), request.metadata(), request.postingPolicy(),
                request.addMembersPolicy(), request.source(), MembersController.toMembers(request.members())));
        ConversationResponse body = ConversationResponse.of(outcome.conversation());
        return outcome.created()
                ? ResponseEntity.created(URI.create("/v1/conversations/" + body.conversationId())).body(body)
                : ResponseEntity.ok(body);
    }

    @GetMapping("/v1/conversations/{conversationId}")
    @PreAuthorize("hasAuthority('SCOPE_conversations:read')")
    ConversationResponse getConversation(@PathVariable String conversationId, Authentication authentication) {
        return ConversationResponse.of(conversations.get(Caller.of(authentication), conversationId));
    }

    /** Renames, sets metadata or policies, mutes all, archives or unarchives (owner, admins or the app). */
    @PatchMapping("/v1/conversations/{conversationId}")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ConversationResponse changeConversation(@PathVariable String conversationId,
                                            @Valid @RequestBody ChangeConversationRequest request,
                                            Authentication authentication) {
        return ConversationResponse.of(conversations.change(Caller.of(authentication), conversationId,
                new Conversations.Changes(request.name(), request.metadata(), request.postingPolicy(),
                        request.addMembersPolicy(), request.mutedAll(), request.archived())));
    }

    /** Deletes the conversation and its members (the owner or the app). */
    @DeleteMapping("/v1/conversations/{conversationId}")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ResponseEntity<Void> deleteConversation(@PathVariable String conversationId, Authentication authentication) {
        conversations.delete(Caller.of(authentication), conversationId);
        return ResponseEntity.noContent().build();
    }

    /** The conversations a user is in, most recently changed first. A user token lists its own. */
    @GetMapping("/v1/users/{userId}/conversations")
    @PreAuthorize("hasAuthority('SCOPE_conversations:read')")
    ConversationPage userConversations(@PathVariable @Pattern(regexp = Ids.PATTERN) String userId,
                                       @RequestParam(required = false) @Size(max = 300) String cursor,
                                       @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                                       Authentication authentication) {
        PageCursor after = cursor == null ? null : PageCursor.parse(cursor);
        List<Conversation> page = conversations.conversationsOf(Caller.of(authentication), userId,
                after == null ? null : after.updatedAt(), after == null ? null : after.conversationId(), limit);
        String next = page.size() < limit ? null
                : new PageCursor(page.getLast().updatedAt(), page.getLast().conversationId()).encode();
        return new ConversationPage(page.stream().map(ConversationResponse::of).toList(), next);
    }
}
