package io.switchboard.message.messages;

import io.switchboard.message.idempotency.IdempotencyKeys;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.schemas.Topics;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The message log. Appending stores the message with the conversation's next seq and queues its
 * {@code MESSAGE_CREATED} event in the outbox, in one transaction: a message is accepted exactly
 * when it is durably stored, and then it is published, in seq order per conversation.
 */
@Service
public class Messages {

    private final MessageStore store;
    private final Outbox outbox;
    private final IdempotencyKeys idempotencyKeys;
    private final ContentRules contentRules;
    private final PostingRules postingRules;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;

    Messages(MessageStore store, Outbox outbox, IdempotencyKeys idempotencyKeys, ContentRules contentRules,
             PostingRules postingRules, JsonMapper json, ApplicationEventPublisher events) {
        this.store = store;
        this.outbox = outbox;
        this.idempotencyKeys = idempotencyKeys;
        this.contentRules = contentRules;
        this.postingRules = postingRules;
        this.json = json;
        this.events = events;
    }

    /** Published (synchronously, in the sending transaction) when a user or app sent a message. */
    public record MessageSent(Message message) {
    }

    /** A sent message, and whether it was sent by an earlier request with the same idempotency key. */
    public record Sent(Message message, boolean replayed) {
    }

    /**
     * Sends a message as the caller: a user posts as a member under the conversation's posting
     * rules, an app posts as itself. A request repeating an idempotency key returns the message
     * the key sent first.
     */
    @Transactional
    public Sent send(Caller caller, String conversationId, String idempotencyKey, SendMessageRequest request) {
        Content content = contentRules.validated(request.content());
        String messageId = newMessageId();
        Optional<String> first = idempotencyKeys.claim(caller.appId(), caller.subject(), idempotencyKey,
                fingerprint(conversationId, request), messageId);
        if (first.isPresent()) {
            return new Sent(store.findById(caller.appId(), first.get()).orElseThrow(), true);
        }
        postingRules.checkPoster(caller, conversationId);
        postingRules.checkMentions(caller, conversationId, content);
        Long threadRoot = null;
        if (request.replyTo() != null) {
            Message parent = find(caller.appId(), conversationId, request.replyTo());
            threadRoot = parent.threadRootSeq() != null ? parent.threadRootSeq() : parent.seq();
        }
        Message.SenderType senderType = caller.user() ? Message.SenderType.USER : Message.SenderType.APP;
        Message message = append(new Message.Draft(caller.appId(), conversationId, messageId, caller.subject(),
                senderType, content, request.replyTo(), threadRoot, null));
        events.publishEvent(new MessageSent(message));
        return new Sent(message, false);
    }

    /** Appends a message; joins the caller's transaction (routing records the event id in it). */
    @Transactional(propagation = Propagation.REQUIRED)
    public Message append(Message.Draft draft) {
        MessageStore.Position position = store.advance(draft.appId(), draft.conversationId(),
                store.lock(draft.appId(), draft.conversationId()), true);
        Message message = new Message(draft.appId(), draft.conversationId(), position.seq(),
                draft.messageId() != null ? draft.messageId() : newMessageId(), draft.senderId(), draft.senderType(),
                draft.content(), draft.replyToSeq(), draft.threadRootSeq(), draft.origin(), 1, Message.Status.ACTIVE,
                position.changeSeq(), Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
        store.insert(message);
        outbox.append(Topics.CHAT_MESSAGES, Topics.conversationKey(message.appId(), message.conversationId()),
                MessageEvents.created(message));
        return message;
    }

    /** A message by seq, or {@code message-not-found}. */
    public Message find(String appId, String conversationId, long seq) {
        return store.find(appId, conversationId, seq).orElseThrow(() -> new ApiException(ErrorCode.MESSAGE_NOT_FOUND,
                "No message with seq " + seq + " in conversation " + conversationId));
    }

    /** Up to {@code limit} messages after {@code afterSeq}, oldest first, without those the viewer hid. */
    List<Message> after(Caller viewer, String conversationId, long afterSeq, int limit) {
        return store.after(viewer.appId(), conversationId, viewer.subject(), afterSeq, limit);
    }

    /** Up to {@code limit} messages before {@code beforeSeq}, oldest first, without those the viewer hid. */
    List<Message> before(Caller viewer, String conversationId, long beforeSeq, int limit) {
        return store.before(viewer.appId(), conversationId, viewer.subject(), beforeSeq, limit).reversed();
    }

    List<Message> thread(Caller viewer, String conversationId, long rootSeq, long afterSeq, int limit) {
        return store.thread(viewer.appId(), conversationId, viewer.subject(), rootSeq, afterSeq, limit);
    }

    /** Messages the viewer can see that changed after {@code afterChangeSeq}, in change order. */
    public List<Message> changedAfter(Caller viewer, String conversationId, long afterChangeSeq, int limit) {
        return store.changedAfter(viewer.appId(), conversationId, viewer.subject(), afterChangeSeq, limit);
    }

    private static String newMessageId() {
        return "m_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** What identifies a send request for its idempotency key: the conversation and the request body. */
    private String fingerprint(String conversationId, SendMessageRequest request) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(conversationId.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(json.writeValueAsBytes(request));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
