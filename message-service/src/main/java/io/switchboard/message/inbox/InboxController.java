package io.switchboard.message.inbox;

import io.switchboard.message.messages.ConversationAccess;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A user's conversation list, read positions and receipts, and resuming after being offline. */
@RestController
class InboxController {

    private final Inbox inbox;
    private final InboxSync sync;
    private final ConversationAccess access;

    InboxController(Inbox inbox, InboxSync sync, ConversationAccess access) {
        this.inbox = inbox;
        this.sync = sync;
        this.access = access;
    }

    record InboxPage(List<Inbox.Entry> conversations, String nextCursor) {
    }

    record SettingsRequest(Boolean pinned, Boolean muted) {
    }

    record ReadRequest(@NotNull @Positive Long seq) {
    }

    record ReadResponse(String conversationId, long readSeq) {
    }

    record Receipts(long seq, long readCount, long memberCount, List<InboxStore.ReadPosition> readers,
                    String nextAfterUserId) {
    }

    record SyncRequest(@NotNull @Size(max = 10_000) Map<String, @NotNull @PositiveOrZero Long> conversations,
                       @Min(1) @Max(200) Integer limit) {
    }

    @Operation(summary = "List my conversations",
            description = "Pinned first (last pinned first), then by last activity. unread = lastSeq - readSeq.")
    @GetMapping("/v1/me/conversations")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    InboxPage list(@RequestParam(required = false) String cursor,
                   @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                   Authentication authentication) {
        Caller caller = Caller.of(authentication);
        List<Inbox.Entry> all = inbox.entries(caller);
        int from = 0;
        if (cursor != null) {
            Inbox.Entry after = decode(cursor);
            while (from < all.size() && Inbox.ORDER.compare(all.get(from), after) <= 0) {
                from++;
            }
        }
        List<Inbox.Entry> page = all.subList(from, Math.min(from + limit, all.size())).stream()
                .map(entry -> inbox.withPreview(caller, entry)).toList();
        String next = from + limit < all.size() ? encode(page.getLast()) : null;
        return new InboxPage(page, next);
    }

    @Operation(summary = "Read one of my conversations")
    @GetMapping("/v1/me/conversations/{conversationId}")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    Inbox.Entry one(@PathVariable String conversationId, Authentication authentication) {
        return inbox.entry(Caller.of(authentication), conversationId);
    }

    @Operation(summary = "Pin or mute one of my conversations")
    @PatchMapping("/v1/me/conversations/{conversationId}")
    @PreAuthorize("hasAuthority('SCOPE_messages:write')")
    Inbox.Entry settings(@PathVariable String conversationId, @RequestBody SettingsRequest request,
                         Authentication authentication) {
        return inbox.updateSettings(Caller.of(authentication), conversationId, request.pinned(), request.muted());
    }

    @Operation(summary = "Mark read up to a seq", description = "Never moves backward; a seq past the last message means all.")
    @PostMapping("/v1/conversations/{conversationId}/read")
    @PreAuthorize("hasAuthority('SCOPE_messages:write')")
    ReadResponse read(@PathVariable String conversationId, @Valid @RequestBody ReadRequest request,
                      Authentication authentication) {
        return new ReadResponse(conversationId, inbox.markRead(Caller.of(authentication), conversationId, request.seq()));
    }

    @Operation(summary = "Read positions of the members", description = "How far each current member has read (0: nothing).")
    @GetMapping("/v1/conversations/{conversationId}/reads")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    List<InboxStore.ReadPosition> reads(@PathVariable String conversationId, Authentication authentication) {
        return inbox.readPositions(access.reader(authentication, conversationId), conversationId);
    }

    @Operation(summary = "Read receipts of a message", description = "The current members who have read up to the message.")
    @GetMapping("/v1/conversations/{conversationId}/messages/{seq}/receipts")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    Receipts receipts(@PathVariable String conversationId, @PathVariable @Min(1) long seq,
                      @RequestParam(required = false) String afterUserId,
                      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
                      Authentication authentication) {
        Caller caller = access.reader(authentication, conversationId);
        List<InboxStore.ReadPosition> readers = inbox.readers(caller, conversationId, seq);
        List<InboxStore.ReadPosition> page = readers.stream()
                .filter(r -> afterUserId == null || r.userId().compareTo(afterUserId) > 0)
                .limit(limit).toList();
        long members = inbox.memberCount(caller, conversationId);
        String next = page.size() == limit && !page.isEmpty()
                && !page.getLast().equals(readers.getLast()) ? page.getLast().userId() : null;
        return new Receipts(seq, readers.size(), members, page, next);
    }

    @Operation(summary = "What changed since",
            description = "Send the last changeSeq seen per conversation; get every conversation with news, with "
                    + "its state and the messages changed since, in change order (limit per conversation).")
    @PostMapping("/v1/me/sync")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    InboxSync.Result sync(@Valid @RequestBody SyncRequest request, Authentication authentication) {
        return sync.since(Caller.of(authentication), request.conversations(),
                request.limit() == null ? 100 : request.limit());
    }

    private static String encode(Inbox.Entry last) {
        String raw = millis(last.pinnedAt()) + "|" + millis(last.lastActivityAt()) + "|" + last.conversationId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Inbox.Entry decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 3);
            Instant pinnedAt = instant(parts[0]);
            return new Inbox.Entry(parts[2], null, null, 0, 0, instant(parts[1]), null, 0, 0, pinnedAt != null,
                    pinnedAt, false, false);
        } catch (RuntimeException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The cursor is not one this API returned");
        }
    }

    private static String millis(Instant instant) {
        return instant == null ? "" : Long.toString(instant.toEpochMilli());
    }

    private static Instant instant(String millis) {
        return millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }
}
