package io.switchboard.message.messages;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.platform.web.EntityVersions;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Editing, recalling and deleting messages, and reading a message's earlier versions. */
@RestController
@RequestMapping("/v1/conversations/{conversationId}/messages/{seq}")
class MessageChangesController {

    private final MessageChanges changes;
    private final ConversationAccess access;

    MessageChangesController(MessageChanges changes, ConversationAccess access) {
        this.changes = changes;
        this.access = access;
    }

    record VersionResponse(int version, String contentType, String text, Content.Card card, Content.Custom custom,
                           List<String> mentions, String authorId, Instant validFrom) {
        static VersionResponse of(MessageStore.Version v) {
            Content c = v.content();
            return new VersionResponse(v.version(), c.type().name(), c.text(), c.card(), c.custom(), c.mentions(),
                    v.authorId(), v.validFrom());
        }
    }

    @Operation(summary = "Edit a message",
            description = "The sender replaces the content (same type); the replaced version stays in the message's "
                    + "history. If-Match: \"<version>\" makes the edit conditional (412 version-mismatch when the "
                    + "message changed). Repeating an edit changes nothing.")
    @PatchMapping
    @PreAuthorize("hasAuthority('SCOPE_messages:write')")
    ResponseEntity<MessageResponse> edit(@PathVariable String conversationId, @PathVariable @Min(1) long seq,
                                         @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                         @Valid @RequestBody SendMessageRequest request, Authentication authentication) {
        Caller caller = access.reader(authentication, conversationId);
        return withETag(changes.edit(caller, conversationId, seq, EntityVersions.ifMatch(ifMatch, "message"), request));
    }

    @Operation(summary = "Recall a message",
            description = "The sender within the recall window (2 minutes by default), the conversation's owner and "
                    + "admins and the app at any time. The content and earlier versions are erased for everyone.")
    @PostMapping("/recall")
    @PreAuthorize("hasAuthority('SCOPE_messages:write')")
    ResponseEntity<MessageResponse> recall(@PathVariable String conversationId, @PathVariable @Min(1) long seq,
                                           Authentication authentication) {
        Caller caller = access.reader(authentication, conversationId);
        return withETag(changes.recall(caller, conversationId, seq));
    }

    @Operation(summary = "Delete a message",
            description = "for=me (the default) hides it from the calling user's history and devices only; "
                    + "for=everyone erases it for every member (sender, owner, admins, the app).")
    @DeleteMapping
    @PreAuthorize("hasAuthority('SCOPE_messages:write')")
    ResponseEntity<MessageResponse> delete(@PathVariable String conversationId, @PathVariable @Min(1) long seq,
                                           @RequestParam(name = "for", defaultValue = "me") String audience,
                                           Authentication authentication) {
        Caller caller = access.reader(authentication, conversationId);
        return switch (audience) {
            case "everyone" -> withETag(changes.deleteForEveryone(caller, conversationId, seq));
            case "me" -> {
                changes.deleteForMe(caller, conversationId, seq);
                yield ResponseEntity.noContent().build();
            }
            default -> throw new ApiException(ErrorCode.VALIDATION_FAILED, "for must be 'me' or 'everyone'");
        };
    }

    @Operation(summary = "Read a message's versions", description = "The current version first, then what edits replaced.")
    @GetMapping("/versions")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    List<VersionResponse> versions(@PathVariable String conversationId, @PathVariable @Min(1) long seq,
                                   Authentication authentication) {
        Caller caller = access.reader(authentication, conversationId);
        return changes.versions(caller, conversationId, seq).stream().map(VersionResponse::of).toList();
    }

    private static ResponseEntity<MessageResponse> withETag(Message message) {
        return ResponseEntity.ok().eTag(EntityVersions.eTag(message.version())).body(MessageResponse.of(message));
    }
}
