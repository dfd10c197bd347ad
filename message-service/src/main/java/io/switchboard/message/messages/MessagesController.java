package io.switchboard.message.messages;

import io.switchboard.message.idempotency.IdempotencyKeys;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import io.switchboard.platform.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/** Sending messages and reading a conversation's history, for its members and for the app that owns it. */
@RestController
class MessagesController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final Messages messages;
    private final SendBatcher batcher;
    private final PostingRules postingRules;
    private final ConversationAccess access;

    MessagesController(Messages messages, SendBatcher batcher, PostingRules postingRules, ConversationAccess access) {
        this.messages = messages;
        this.batcher = batcher;
        this.postingRules = postingRules;
        this.access = access;
    }

    /**
     * A page of history, oldest first. Continue forward with {@code afterSeq=nextAfterSeq} and
     * backward with {@code beforeSeq=nextBeforeSeq}; each is null when that direction has no more.
     */
    record HistoryPage(List<MessageResponse> messages, Long nextAfterSeq, Long nextBeforeSeq) {
    }

    record ThreadPage(MessageResponse root, List<MessageResponse> replies, Long nextAfterSeq) {
    }

    /**
     * Messages changed after a change seq, in change order, each once at its latest change.
     * Continue with {@code afterChangeSeq} = the last one listed while {@code hasMore}.
     */
    record ChangesPage(List<MessageResponse> changes, boolean hasMore) {
    }

    @Operation(summary = "Send a message",
            description = "Requires an Idempotency-Key header: repeating a request with the same key within the "
                    + "replay window (24 hours by default) returns the first message (same id and seq) with "
                    + "status 200 and the header Idempotent-Replayed: true, and sends nothing.")
    @PostMapping("/v1/conversations/{conversationId}/messages")
    @PreAuthorize("hasAuthority('SCOPE_messages:write')")
    ResponseEntity<MessageResponse> send(@PathVariable String conversationId,
                                         @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                         @Valid @RequestBody SendMessageRequest request,
                                         Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Messages.Sent sent = sendAlone(new Messages.Submission(caller,
                new Messages.SendItem(conversationId, IdempotencyKeys.require(idempotencyKey), request)));
        Message message = sent.message();
        return ResponseEntity.status(sent.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .location(URI.create("/v1/conversations/" + conversationId + "/messages/" + message.seq()))
                .header(REPLAYED, Boolean.toString(sent.replayed()))
                .body(MessageResponse.of(message));
    }

    /** One message of a batch; {@code message} is what a single send's body holds. */
    record BatchItem(@NotBlank @Size(max = 128) String conversationId, @NotBlank String idempotencyKey,
                     @NotNull @Valid SendMessageRequest message) {
    }

    record BatchRequest(@NotNull @Size(min = 1, max = 100) List<@NotNull @Valid BatchItem> messages) {
    }

    /** Per message: 201 sent, 200 replayed (its key was used before), or a 4xx status with a problem. */
    record BatchItemResult(int status, MessageResponse message, ProblemDetail problem) {
    }

    record BatchResponse(List<BatchItemResult> results) {
    }

    @Operation(summary = "Send up to 100 messages in one request",
            description = "For integrations that send many messages: they are stored in one transaction, each with "
                    + "its own idempotency key and outcome; a refused message does not stop the others. Results are "
                    + "in request order.")
    @PostMapping("/v1/messages/batch")
    @PreAuthorize("hasAuthority('SCOPE_messages:write')")
    BatchResponse sendBatch(@Valid @RequestBody BatchRequest request, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        postingRules.awaitKnown(caller.appId(), request.messages().stream().map(BatchItem::conversationId).toList());
        List<Messages.ItemResult> results = messages.sendAll(request.messages().stream()
                .map(item -> new Messages.Submission(caller,
                        new Messages.SendItem(item.conversationId(), item.idempotencyKey(), item.message())))
                .toList());
        return new BatchResponse(results.stream().map(result -> result.refusal() != null
                ? new BatchItemResult(result.refusal().errorCode().status().value(), null,
                        Problems.of(result.refusal().errorCode(), result.refusal().getMessage()))
                : new BatchItemResult(result.sent().replayed() ? 200 : 201, MessageResponse.of(result.sent().message()),
                        null)).toList());
    }

    @Operation(summary = "Read history",
            description = "Give at most one of afterSeq (messages after it), beforeSeq (messages before it) or "
                    + "aroundSeq (that message and those around it); without any, the history starts at seq 1.")
    @GetMapping("/v1/conversations/{conversationId}/messages")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    HistoryPage history(@PathVariable String conversationId,
                        @RequestParam(required = false) @Min(0) Long afterSeq,
                        @RequestParam(required = false) @Min(1) Long beforeSeq,
                        @RequestParam(required = false) @Min(1) Long aroundSeq,
                        @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                        Authentication authentication) {
        Caller caller = access.reader(authentication, conversationId);
        int cursors = (afterSeq != null ? 1 : 0) + (beforeSeq != null ? 1 : 0) + (aroundSeq != null ? 1 : 0);
        if (cursors > 1) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Give at most one of afterSeq, beforeSeq and aroundSeq");
        }
        if (beforeSeq != null) {
            List<Message> page = messages.before(caller, conversationId, beforeSeq, limit);
            return new HistoryPage(responses(page), null, page.size() == limit ? page.getFirst().seq() : null);
        }
        if (aroundSeq != null) {
            List<Message> older = messages.before(caller, conversationId, aroundSeq, limit / 2);
            List<Message> newer = messages.after(caller, conversationId, aroundSeq - 1, limit - limit / 2);
            List<Message> page = new ArrayList<>(older);
            page.addAll(newer);
            return new HistoryPage(responses(page), newer.size() == limit - limit / 2 ? newer.getLast().seq() : null,
                    older.size() == limit / 2 && !older.isEmpty() ? older.getFirst().seq() : null);
        }
        List<Message> page = messages.after(caller, conversationId, afterSeq == null ? 0 : afterSeq, limit);
        return new HistoryPage(responses(page), page.size() == limit ? page.getLast().seq() : null, null);
    }

    @Operation(summary = "What changed in a conversation",
            description = "Messages created, edited, recalled or deleted after a change seq, in change order: "
                    + "what a client that saw a gap in changeSeq of live frames missed.")
    @GetMapping("/v1/conversations/{conversationId}/changes")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    ChangesPage changes(@PathVariable String conversationId,
                        @RequestParam(defaultValue = "0") @Min(0) long afterChangeSeq,
                        @RequestParam(defaultValue = "100") @Min(1) @Max(200) int limit,
                        Authentication authentication) {
        Caller caller = access.reader(authentication, conversationId);
        List<Message> changed = messages.changedAfter(caller, conversationId, afterChangeSeq, limit + 1);
        return new ChangesPage(responses(changed.stream().limit(limit).toList()), changed.size() > limit);
    }

    @Operation(summary = "Read one message")
    @GetMapping("/v1/conversations/{conversationId}/messages/{seq}")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    MessageResponse message(@PathVariable String conversationId, @PathVariable @Min(1) long seq,
                            Authentication authentication) {
        Caller caller = access.reader(authentication, conversationId);
        return MessageResponse.of(messages.find(caller.appId(), conversationId, seq));
    }

    @Operation(summary = "Read a thread", description = "The thread's root message and its replies after afterSeq, oldest first.")
    @GetMapping("/v1/conversations/{conversationId}/messages/{seq}/thread")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    ThreadPage thread(@PathVariable String conversationId, @PathVariable @Min(1) long seq,
                      @RequestParam(defaultValue = "0") @Min(0) long afterSeq,
                      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                      Authentication authentication) {
        Caller caller = access.reader(authentication, conversationId);
        Message root = messages.find(caller.appId(), conversationId, seq);
        long rootSeq = root.threadRootSeq() != null ? root.threadRootSeq() : root.seq();
        if (rootSeq != seq) {
            root = messages.find(caller.appId(), conversationId, rootSeq);
        }
        List<Message> replies = messages.thread(caller, conversationId, rootSeq, afterSeq, limit);
        return new ThreadPage(MessageResponse.of(root), responses(replies),
                replies.size() == limit ? replies.getLast().seq() : null);
    }

    /** A single send, stored with whatever other sends arrive meanwhile (group commit). */
    private Messages.Sent sendAlone(Messages.Submission submission) {
        postingRules.awaitKnown(submission.caller().appId(), List.of(submission.item().conversationId()));
        Messages.ItemResult result;
        try {
            result = batcher.submit(submission).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while storing a message", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        }
        if (result.refusal() != null) {
            throw result.refusal();
        }
        return result.sent();
    }

    private static List<MessageResponse> responses(List<Message> page) {
        return page.stream().map(MessageResponse::of).toList();
    }
}
