package io.switchboard.message.messages;

import io.switchboard.message.erasure.ConversationErasure;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
    private final ConversationErasure erasure;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;

    Messages(MessageStore store, Outbox outbox, IdempotencyKeys idempotencyKeys, ContentRules contentRules,
             PostingRules postingRules, ConversationErasure erasure, JsonMapper json, ApplicationEventPublisher events) {
        this.store = store;
        this.outbox = outbox;
        this.idempotencyKeys = idempotencyKeys;
        this.contentRules = contentRules;
        this.postingRules = postingRules;
        this.erasure = erasure;
        this.json = json;
        this.events = events;
    }

    /** Published (synchronously, in the sending transaction) when a user or app sent a message. */
    public record MessageSent(Message message) {
    }

    /** A sent message, and whether it was sent by an earlier request with the same idempotency key. */
    public record Sent(Message message, boolean replayed) {
    }

    /** One message of a batch: where to, its idempotency key and what it says. */
    public record SendItem(String conversationId, String idempotencyKey, SendMessageRequest request) {
    }

    /** A message to send and who sends it. */
    public record Submission(Caller caller, SendItem item) {
    }

    /** What became of one message of a batch: sent (or replayed), or refused with a problem. */
    public record ItemResult(Sent sent, ApiException refusal) {
    }

    /**
     * Sends messages in one transaction (one commit, each conversation's counters locked once): a
     * user posts as a member under the conversation's posting rules, an app posts as itself; a
     * repeated idempotency key returns the message the key sent first. What one message is refused
     * for does not stop the others. Each item is checked
     * (content, posting rules, mentions, reply) before its idempotency key is claimed, so a refused
     * item leaves its key free.
     */
    @Transactional
    public List<ItemResult> sendAll(List<Submission> submissions) {
        ItemResult[] results = new ItemResult[submissions.size()];
        List<Integer> drafted = new ArrayList<>();
        List<Message.Draft> drafts = new ArrayList<>();
        // a key used again within the batch repeats its first use: same request -> the same message
        Map<String, Integer> firstUse = new HashMap<>();
        String[] fingerprints = new String[submissions.size()];
        Map<Integer, Integer> repeats = new HashMap<>();
        // checked items claim their keys together, before any counter is locked
        List<Integer> checked = new ArrayList<>();
        List<Message.Draft> checkedDrafts = new ArrayList<>();
        List<IdempotencyKeys.Claim> claims = new ArrayList<>();
        for (int i = 0; i < submissions.size(); i++) {
            Caller caller = submissions.get(i).caller();
            SendItem item = submissions.get(i).item();
            try {
                IdempotencyKeys.require(item.idempotencyKey());
                String fingerprint = fingerprint(item.conversationId(), item.request());
                fingerprints[i] = fingerprint;
                Integer earlier = firstUse.putIfAbsent(caller.appId() + "/" + caller.subject() + "/" + item.idempotencyKey(), i);
                if (earlier != null) {
                    if (!fingerprint.equals(fingerprints[earlier])) {
                        throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "The Idempotency-Key "
                                + item.idempotencyKey() + " names two different messages of this batch");
                    }
                    repeats.put(i, earlier);
                    continue;
                }
                Message.Draft draft = draft(caller, item);
                checked.add(i);
                checkedDrafts.add(draft);
                claims.add(new IdempotencyKeys.Claim(caller.appId(), caller.subject(), item.idempotencyKey(),
                        fingerprint, draft.messageId()));
            } catch (ApiException refused) {
                results[i] = new ItemResult(null, refused);
            }
        }
        List<IdempotencyKeys.Outcome> outcomes = claims.isEmpty() ? List.of() : idempotencyKeys.claimAll(claims);
        for (int n = 0; n < outcomes.size(); n++) {
            IdempotencyKeys.Outcome outcome = outcomes.get(n);
            int i = checked.get(n);
            if (outcome.refusal() != null) {
                results[i] = new ItemResult(null, outcome.refusal());
            } else if (outcome.firstMessageId() != null) {
                results[i] = new ItemResult(new Sent(store.findById(claims.get(n).appId(), outcome.firstMessageId())
                        .orElseThrow(), true), null);
            } else {
                drafted.add(i);
                drafts.add(checkedDrafts.get(n));
            }
        }
        List<Message> stored = appendAll(drafts);
        for (int n = 0; n < stored.size(); n++) {
            results[drafted.get(n)] = new ItemResult(new Sent(stored.get(n), false), null);
        }
        // listeners update per-(sender, conversation) rows: in one order for every transaction, so none deadlock
        stored.stream().sorted(Comparator.comparing(Message::appId).thenComparing(Message::senderId)
                        .thenComparing(Message::conversationId).thenComparingLong(Message::seq))
                .forEach(message -> events.publishEvent(new MessageSent(message)));
        repeats.forEach((repeat, first) -> results[repeat] = results[first].sent() == null ? results[first]
                : new ItemResult(new Sent(results[first].sent().message(), true), null));
        return List.of(results);
    }


    private Message.Draft draft(Caller caller, SendItem item) {
        SendMessageRequest request = item.request();
        Content content = contentRules.validated(request.content());
        postingRules.checkPoster(caller, item.conversationId());
        postingRules.checkMentions(caller, item.conversationId(), content);
        Long threadRoot = null;
        if (request.replyTo() != null) {
            Message parent = find(caller.appId(), item.conversationId(), request.replyTo());
            threadRoot = parent.threadRootSeq() != null ? parent.threadRootSeq() : parent.seq();
        }
        Message.SenderType senderType = caller.user() ? Message.SenderType.USER : Message.SenderType.APP;
        return new Message.Draft(caller.appId(), item.conversationId(), newMessageId(), caller.subject(), senderType,
                content, request.replyTo(), threadRoot, null);
    }

    /** Appends a message; joins the caller's transaction (routing records the event id in it). */
    @Transactional(propagation = Propagation.REQUIRED)
    public Message append(Message.Draft draft) {
        return appendAll(List.of(draft)).getFirst();
    }

    /**
     * Appends messages in list order: each conversation's seqs are reserved at once (apps and
     * conversations in id order, so concurrent batches cannot deadlock), a conversation deleted
     * since the checks refuses them ({@link ConversationErasure#admitAppends}), the
     * messages and their {@code MESSAGE_CREATED} events are written in batches. Joins the caller's
     * transaction.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public List<Message> appendAll(List<Message.Draft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        List<Message.Draft> identified = drafts.stream().map(d -> d.messageId() != null ? d
                : new Message.Draft(d.appId(), d.conversationId(), newMessageId(), d.senderId(), d.senderType(),
                        d.content(), d.replyToSeq(), d.threadRootSeq(), d.origin())).toList();
        List<byte[]> bodies = identified.stream().map(store::seal).toList();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        drafts.forEach(d -> counts.computeIfAbsent(d.appId(), a -> new HashMap<>()).merge(d.conversationId(), 1, Integer::sum));
        Map<String, Map<String, MessageStore.Position>> counters = new HashMap<>();
        counts.forEach((appId, perConversation) -> {
            Map<String, MessageStore.Position> reserved = store.reserve(appId, perConversation, now);
            counters.put(appId, reserved);
            Map<String, Long> lastSeqs = new HashMap<>();
            reserved.forEach((conversationId, last) -> lastSeqs.put(conversationId, last.seq()));
            erasure.admitAppends(appId, lastSeqs);
        });
        List<Message> messages = new ArrayList<>(drafts.size());
        List<Outbox.Keyed> events = new ArrayList<>(drafts.size());
        for (Message.Draft draft : identified) {
            String appId = draft.appId();
            MessageStore.Position last = counters.get(appId).get(draft.conversationId());
            MessageStore.Position next = new MessageStore.Position(last.seq() + 1, last.changeSeq() + 1);
            counters.get(appId).put(draft.conversationId(), next);
            Message message = new Message(appId, draft.conversationId(), next.seq(),
                    draft.messageId(), draft.senderId(), draft.senderType(),
                    draft.content(), draft.replyToSeq(), draft.threadRootSeq(), draft.origin(), 1, Message.Status.ACTIVE,
                    next.changeSeq(), now, null);
            messages.add(message);
            events.add(new Outbox.Keyed(Topics.conversationKey(appId, message.conversationId()),
                    MessageEvents.created(message)));
        }
        store.insertAll(messages, bodies);
        outbox.appendAll(Topics.CHAT_MESSAGES, events);
        return messages;
    }

    /** A message by seq, if it is stored. */
    public Optional<Message> lookup(String appId, String conversationId, long seq) {
        return store.find(appId, conversationId, seq);
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
