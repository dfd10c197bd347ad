package io.switchboard.message.messages;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.message.MessageProperties;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Edits, recalls and deletions of stored messages. Each change takes the conversation's next
 * change seq under the same lock as sending, raises the message's version, and is published on
 * {@code chat.messages} through the outbox in the same transaction, so every client sees it in
 * order. Repeating a change that already took effect changes nothing and publishes nothing.
 *
 * <p>Who may do what: the sender edits, if they may post in the conversation now (the posting
 * rules: not muted, not archived, not admins-only); the sender recalls within the recall window, the
 * conversation's owner and admins and the app at any time; the sender, owner, admins and the app
 * delete for everyone; any member deletes for themselves.
 */
@Service
public class MessageChanges {

    private final MessageStore store;
    private final Outbox outbox;
    private final ContentRules contentRules;
    private final PostingRules postingRules;
    private final MembershipView membership;
    private final Duration recallWindow;

    MessageChanges(MessageStore store, Outbox outbox, ContentRules contentRules, PostingRules postingRules,
                   MembershipView membership, MessageProperties properties) {
        this.store = store;
        this.outbox = outbox;
        this.contentRules = contentRules;
        this.postingRules = postingRules;
        this.membership = membership;
        this.recallWindow = properties.recallWindow();
    }

    /**
     * Replaces the content of a message; the replaced version is kept in its history.
     *
     * @param expectedVersion the version the caller edits (from {@code If-Match}), or {@code null}
     */
    @Transactional
    public Message edit(Caller caller, String conversationId, long seq, Long expectedVersion, SendMessageRequest request) {
        if (request.replyTo() != null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "An edit cannot change what a message replies to");
        }
        Content content = contentRules.validated(request.content());
        // an edit says something new: whoever may not post now (muted, archived, admins only) may not edit
        postingRules.checkPoster(caller, conversationId);
        postingRules.checkMentions(caller, conversationId, content);
        MessageStore.Position locked = store.lock(caller.appId(), conversationId);
        Message current = current(caller, conversationId, seq);
        requireSender(caller, current, "edit");
        requireChangeable(current);
        if (expectedVersion != null && expectedVersion != current.version()) {
            throw new ApiException(ErrorCode.VERSION_MISMATCH, "Message " + seq + " is at version " + current.version()
                    + ", not " + expectedVersion);
        }
        if (current.content().type() != content.type()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "An edit keeps the message's type ("
                    + current.content().type() + ")");
        }
        if (current.content().equals(content)) {
            return current; // a repeated edit: nothing changes, nothing is published
        }
        store.insertVersion(current);
        return apply(ChatEventType.MESSAGE_EDITED, caller, current, content, Message.Status.EDITED, locked);
    }

    /**
     * Replaces the card of a card message with the app's authority (it moderates every message of
     * its conversations): the app's answer to a click on one of the card's buttons. Nothing changes
     * when the message has changed since the clicked version, was recalled or deleted, or already
     * shows this card - so a request read twice changes the card once.
     *
     * @param card the new content: a card and its text fallback (mentions are kept from the message)
     * @return the message after the change, or empty when nothing changed
     * @throws ApiException {@code message-not-found}; {@code validation-failed} when the content is
     *                      not a valid card or the message is not a card message
     */
    @Transactional
    public Optional<Message> replaceCardAsApp(String appId, String conversationId, long seq, int clickedVersion,
                                              Content card) {
        Caller app = new Caller(appId, appId, null, false);
        MessageStore.Position locked = store.lock(appId, conversationId);
        Message current = current(app, conversationId, seq);
        Content content = contentRules.validated(new Content(Content.ContentType.CARD, card.text(), card.card(), null,
                current.content().mentions(), current.content().mentionAll()));
        if (current.content().type() != Content.ContentType.CARD) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Message " + seq + " is not a card message");
        }
        boolean changeable = current.status() != Message.Status.RECALLED && current.status() != Message.Status.DELETED;
        if (!changeable || current.version() != clickedVersion || current.content().equals(content)) {
            return Optional.empty();
        }
        store.insertVersion(current);
        return Optional.of(apply(ChatEventType.MESSAGE_EDITED, app, current, content, Message.Status.EDITED, locked));
    }

    /** Withdraws a message for everyone: its content and earlier versions are erased. */
    @Transactional
    public Message recall(Caller caller, String conversationId, long seq) {
        return erase(caller, conversationId, seq, Message.Status.RECALLED, "recall");
    }

    /** Deletes a message for every member: its content and earlier versions are erased. */
    @Transactional
    public Message deleteForEveryone(Caller caller, String conversationId, long seq) {
        return erase(caller, conversationId, seq, Message.Status.DELETED, "delete for everyone");
    }

    private Message erase(Caller caller, String conversationId, long seq, Message.Status status, String action) {
        MessageStore.Position locked = store.lock(caller.appId(), conversationId);
        Message current = current(caller, conversationId, seq);
        if (current.status() == status) {
            return current;
        }
        requireChangeable(current);
        if (!isModerator(caller, conversationId)) {
            requireSender(caller, current, action);
            if (status == Message.Status.RECALLED && current.createdAt().plus(recallWindow).isBefore(Instant.now())) {
                throw new ApiException(ErrorCode.RECALL_WINDOW_PASSED, "A sender may recall a message within "
                        + recallWindow.toSeconds() + " seconds; owners and admins can still delete it");
            }
        }
        store.eraseVersions(current);
        ChatEventType type = status == Message.Status.RECALLED ? ChatEventType.MESSAGE_RECALLED : ChatEventType.MESSAGE_DELETED;
        return apply(type, caller, current, current.content().erased(), status, locked);
    }

    /** Deletes a message for the calling user only; their other devices are told. */
    @Transactional
    public void deleteForMe(Caller caller, String conversationId, long seq) {
        String userId = caller.userId();
        Message message = current(caller, conversationId, seq);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (store.hide(caller.appId(), conversationId, userId, seq, now)) {
            outbox.append(Topics.CHAT_MESSAGES, Topics.conversationKey(caller.appId(), conversationId),
                    ChatMessageEvent.newBuilder()
                            .setEventId(message.messageId() + ":hidden:" + userId)
                            .setType(ChatEventType.MESSAGE_HIDDEN)
                            .setAppId(caller.appId())
                            .setConversationId(conversationId)
                            .setSeq(seq)
                            .setActorId(userId)
                            .setOccurredAt(now)
                            .build());
        }
    }

    /** The current version and the versions an edit replaced, newest first. */
    public List<MessageStore.Version> versions(Caller caller, String conversationId, long seq) {
        Message current = current(caller, conversationId, seq);
        List<MessageStore.Version> earlier = store.versions(current);
        Instant since = current.updatedAt() != null ? current.updatedAt() : current.createdAt();
        return Stream.concat(
                Stream.of(new MessageStore.Version(current.version(), current.content(),
                        current.senderId(), since)),
                earlier.stream()).toList();
    }

    private Message apply(ChatEventType type, Caller caller, Message current, Content content, Message.Status status,
                          MessageStore.Position locked) {
        MessageStore.Position position = store.advanceChange(current.appId(), current.conversationId(), locked);
        Message changed = new Message(current.appId(), current.conversationId(), current.seq(), current.messageId(),
                current.senderId(), current.senderType(), content, current.replyToSeq(), current.threadRootSeq(),
                current.origin(), current.version() + 1, status, position.changeSeq(), current.createdAt(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.update(changed);
        outbox.append(Topics.CHAT_MESSAGES, Topics.conversationKey(changed.appId(), changed.conversationId()),
                MessageEvents.changed(type, changed, caller.subject()));
        return changed;
    }

    private Message current(Caller caller, String conversationId, long seq) {
        return store.find(caller.appId(), conversationId, seq).orElseThrow(() -> new ApiException(
                ErrorCode.MESSAGE_NOT_FOUND, "No message with seq " + seq + " in conversation " + conversationId));
    }

    private static void requireSender(Caller caller, Message message, String action) {
        boolean sender = caller.user()
                ? message.senderType() == Message.SenderType.USER && message.senderId().equals(caller.subject())
                : message.senderType() == Message.SenderType.APP;
        if (!sender) {
            throw new ApiException(ErrorCode.NOT_MESSAGE_SENDER, "Only the sender may " + action + " message "
                    + message.seq());
        }
    }

    private static void requireChangeable(Message message) {
        if (message.status() == Message.Status.RECALLED || message.status() == Message.Status.DELETED) {
            throw new ApiException(ErrorCode.MESSAGE_NOT_CHANGEABLE, "Message " + message.seq() + " was "
                    + message.status().name().toLowerCase(Locale.ROOT));
        }
    }

    /** The app, and the conversation's owner and admins, moderate any message. */
    private boolean isModerator(Caller caller, String conversationId) {
        if (!caller.user()) {
            return true;
        }
        MemberRole role = membership.member(caller.appId(), conversationId, caller.subject())
                .map(ConversationMember::getRole).orElse(MemberRole.MEMBER);
        return role != MemberRole.MEMBER;
    }
}
