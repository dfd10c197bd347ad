package io.switchboard.membership.conversations;

import io.switchboard.membership.Ids;
import io.switchboard.membership.conversations.Conversation.Member;
import io.switchboard.membership.conversations.Conversation.Role;
import io.switchboard.platform.security.Caller;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The members of a conversation: listed by page, added in bulk, changed, removed, and ownership transfer. */
@RestController
@RequestMapping("/v1/conversations/{conversationId}")
class MembersController {

    private final Conversations conversations;

    MembersController(Conversations conversations) {
        this.conversations = conversations;
    }

    record NewMember(@NotNull @Pattern(regexp = Ids.PATTERN) String userId, Role role) {
    }

    record AddMembersRequest(@NotEmpty @Size(max = 1000) List<@Valid @NotNull NewMember> members) {
    }

    record ChangeMemberRequest(Role role, Instant mutedUntil, Boolean mutedAllExempt) {
    }

    record TransferOwnershipRequest(@NotNull @Pattern(regexp = Ids.PATTERN) String userId) {
    }

    record MemberResponse(String userId,
                          @Schema(description = "The user's display name, for showing them to the other members; "
                                  + "null when they have none", example = "Ivy Chen") String displayName,
                          String role, Instant mutedUntil, boolean mutedAllExempt, Instant joinedAt) {
        static MemberResponse of(Conversations.NamedMember named) {
            Member m = named.member();
            return new MemberResponse(m.userId(), named.displayName(), m.role().name(), m.mutedUntil(),
                    m.mutedAllExempt(), m.joinedAt());
        }
    }

    /** A page of members by user id; {@code nextAfter} (null on the last page) is the next page's {@code after}. */
    record MemberPage(List<MemberResponse> members, String nextAfter) {
    }

    static List<Member> toMembers(List<NewMember> members) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return members == null ? List.of() : members.stream()
                .map(m -> Member.joining(m.userId(), m.role() == null ? Role.MEMBER : m.role(), now)).toList();
    }

    @GetMapping("/members")
    @PreAuthorize("hasAuthority('SCOPE_conversations:read')")
    MemberPage listMembers(@PathVariable String conversationId,
                           @RequestParam(required = false) @Pattern(regexp = Ids.PATTERN) String after,
                           @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
                           Authentication authentication) {
        List<Conversations.NamedMember> page = conversations.members(Caller.of(authentication), conversationId,
                after, limit);
        return new MemberPage(page.stream().map(MemberResponse::of).toList(),
                page.size() < limit ? null : page.getLast().member().userId());
    }

    /** One member, e.g. to name the sender of a message in a group too large to list at once. */
    @GetMapping("/members/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_conversations:read')")
    MemberResponse getMember(@PathVariable String conversationId, @PathVariable String userId,
                             Authentication authentication) {
        return MemberResponse.of(conversations.member(Caller.of(authentication), conversationId, userId));
    }

    /** Adds up to 1,000 members per request; members already in the conversation are left as they are. */
    @PostMapping("/members")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ConversationsController.ConversationResponse addMembers(@PathVariable String conversationId,
                                                            @Valid @RequestBody AddMembersRequest request,
                                                            Authentication authentication) {
        return ConversationsController.ConversationResponse.of(conversations.addMembers(Caller.of(authentication),
                conversationId, toMembers(request.members())));
    }

    /** Changes a member's role or mute; {@code mutedUntil} in the past unmutes. */
    @PatchMapping("/members/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    MemberResponse changeMember(@PathVariable String conversationId, @PathVariable String userId,
                                @Valid @RequestBody ChangeMemberRequest request, Authentication authentication) {
        return MemberResponse.of(conversations.changeMember(Caller.of(authentication), conversationId, userId,
                new Conversations.MemberChanges(request.role(), request.mutedUntil(), request.mutedAllExempt())));
    }

    /** Removes a member; a user removing themselves leaves. */
    @DeleteMapping("/members/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ConversationsController.ConversationResponse removeMember(@PathVariable String conversationId,
                                                              @PathVariable String userId,
                                                              Authentication authentication) {
        return ConversationsController.ConversationResponse.of(conversations.removeMember(Caller.of(authentication),
                conversationId, userId));
    }

    /** Makes a member the owner; the previous owner becomes an admin. */
    @PostMapping("/owner")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ConversationsController.ConversationResponse transferOwnership(@PathVariable String conversationId,
                                                                   @Valid @RequestBody TransferOwnershipRequest request,
                                                                   Authentication authentication) {
        return ConversationsController.ConversationResponse.of(conversations.transferOwnership(
                Caller.of(authentication), conversationId, request.userId()));
    }
}
