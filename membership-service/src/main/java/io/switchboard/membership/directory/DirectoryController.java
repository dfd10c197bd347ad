package io.switchboard.membership.directory;

import io.switchboard.membership.Ids;
import io.switchboard.membership.conversations.Conversations;
import io.switchboard.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Departments and tags of the caller's app, their members, and conversations that follow them (app tokens). */
@RestController
@RequestMapping("/v1/directory-groups")
class DirectoryController {

    private final DirectoryGroups groups;

    DirectoryController(DirectoryGroups groups) {
        this.groups = groups;
    }

    record CreateGroupRequest(@NotNull @Pattern(regexp = Ids.PATTERN) String groupId,
                              @NotNull DirectoryGroup.Kind kind,
                              @NotBlank @Size(max = 200) String name,
                              @Pattern(regexp = Ids.PATTERN) String parentId) {
    }

    /** {@code parentId} moves a department; {@code moveToRoot} makes it a top-level one. */
    record ChangeGroupRequest(@Size(min = 1, max = 200) String name, @Pattern(regexp = Ids.PATTERN) String parentId,
                              Boolean moveToRoot) {
    }

    record MembersRequest(@NotEmpty @Size(max = 1000) List<@NotNull @Pattern(regexp = Ids.PATTERN) String> userIds) {
    }

    record FollowingConversationRequest(@Pattern(regexp = Ids.PATTERN) String conversationId,
                                        @Size(max = 200) String name) {
    }

    record GroupResponse(String groupId, String kind, String name, String parentId, List<String> children,
                         Instant createdAt, Instant updatedAt) {
        static GroupResponse of(DirectoryGroup g, List<String> children) {
            return new GroupResponse(g.groupId(), g.kind().name(), g.name(), g.parentId(), children, g.createdAt(),
                    g.updatedAt());
        }
    }

    record MembersPage(List<String> userIds, String nextAfter) {
    }

    record AddedResponse(int added) {
    }

    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    ResponseEntity<GroupResponse> createGroup(@Valid @RequestBody CreateGroupRequest request, Authentication authentication) {
        DirectoryGroup group = groups.create(app(authentication), request.groupId(), request.kind(), request.name(),
                request.parentId());
        return ResponseEntity.created(URI.create("/v1/directory-groups/" + group.groupId()))
                .body(GroupResponse.of(group, List.of()));
    }

    @GetMapping("/{groupId}")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    GroupResponse getGroup(@PathVariable String groupId, Authentication authentication) {
        DirectoryGroups.GroupView view = groups.get(app(authentication), groupId);
        return GroupResponse.of(view.group(), view.children());
    }

    @PatchMapping("/{groupId}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    GroupResponse changeGroup(@PathVariable String groupId, @Valid @RequestBody ChangeGroupRequest request,
                              Authentication authentication) {
        String appId = app(authentication);
        groups.change(appId, groupId, request.name(), request.parentId(), Boolean.TRUE.equals(request.moveToRoot()));
        DirectoryGroups.GroupView view = groups.get(appId, groupId);
        return GroupResponse.of(view.group(), view.children());
    }

    @DeleteMapping("/{groupId}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    ResponseEntity<Void> deleteGroup(@PathVariable String groupId, Authentication authentication) {
        groups.delete(app(authentication), groupId);
        return ResponseEntity.noContent().build();
    }

    /** Members by user id; {@code subtree=true} includes the departments below. */
    @GetMapping("/{groupId}/members")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    MembersPage members(@PathVariable String groupId,
                        @RequestParam(defaultValue = "false") boolean subtree,
                        @RequestParam(required = false) @Pattern(regexp = Ids.PATTERN) String after,
                        @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
                        Authentication authentication) {
        List<String> page = groups.members(app(authentication), groupId, subtree, after, limit);
        return new MembersPage(page, page.size() < limit ? null : page.getLast());
    }

    @PostMapping("/{groupId}/members")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    AddedResponse addMembers(@PathVariable String groupId, @Valid @RequestBody MembersRequest request,
                             Authentication authentication) {
        return new AddedResponse(groups.addMembers(app(authentication), groupId, request.userIds()));
    }

    @DeleteMapping("/{groupId}/members/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    ResponseEntity<Void> removeMember(@PathVariable String groupId, @PathVariable String userId,
                                      Authentication authentication) {
        groups.removeMember(app(authentication), groupId, userId);
        return ResponseEntity.noContent().build();
    }

    /** Creates a group conversation whose members follow this group's (a department's whole subtree). */
    @PostMapping("/{groupId}/conversations")
    @PreAuthorize("hasAuthority('SCOPE_conversations:write')")
    ResponseEntity<Conversations.Following> createFollowingConversation(
            @PathVariable String groupId, @Valid @RequestBody FollowingConversationRequest request,
            Authentication authentication) {
        Conversations.Following created = groups.createFollowing(app(authentication), groupId, request.conversationId(),
                request.name());
        return ResponseEntity.created(URI.create("/v1/conversations/" + created.conversationId())).body(created);
    }

    private static String app(Authentication authentication) {
        return Caller.of(authentication).requireApp("The directory is managed with an app token");
    }
}
