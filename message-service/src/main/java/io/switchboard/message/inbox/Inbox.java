package io.switchboard.message.inbox;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.message.erasure.ConversationErasure;
import io.switchboard.message.messages.Message;
import io.switchboard.message.messages.Messages;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.schemas.Topics;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's conversations as they see them: ordered by last activity (pinned first), with the last
 * message, unread count (last seq − read seq, counting only the conversation's own history), pin
 * and mute; read positions and receipts.
 *
 * <p>Which conversations are the user's comes from the membership view; counters and the user's
 * own state from the database. A read costs one row update however large the group is; who has
 * read what is answered from those rows when asked (receipts), not written per message.
 */
@Service
public class Inbox {

    private static final int PREVIEW_LENGTH = 120;

    private final InboxStore store;
    private final Messages messages;
    private final MembershipView membership;
    private final ConversationErasure erasure;
    private final Outbox outbox;

    Inbox(InboxStore store, Messages messages, MembershipView membership, ConversationErasure erasure, Outbox outbox) {
        this.store = store;
        this.messages = messages;
        this.membership = membership;
        this.erasure = erasure;
        this.outbox = outbox;
    }

    /** One conversation in a user's list. */
    public record Entry(String conversationId, String type, String name, long lastSeq, long changeSeq,
                        Instant lastActivityAt, Preview lastMessage, long readSeq, long unread, boolean pinned,
                        Instant pinnedAt, boolean muted, boolean archived) {
    }

    /** The last message, shortened. */
    public record Preview(long seq, String senderId, String contentType, String text, String status, Instant createdAt) {
    }

    /** The order of the list: pinned first (last pinned first), then latest activity, then id. */
    static final Comparator<Entry> ORDER = Comparator
            .comparing(Entry::pinnedAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Entry::lastActivityAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Entry::conversationId);

    /** The user's conversations in list order, without previews. */
    List<Entry> entries(Caller caller) {
        String userId = caller.userId();
        Set<String> ids = Set.copyOf(membership.conversationIdsOf(caller.appId(), userId));
        Map<String, InboxStore.Counters> counters = store.counters(caller.appId(), ids);
        Map<String, InboxStore.UserState> states = store.userStates(caller.appId(), userId, ids);
        List<Entry> entries = new ArrayList<>(ids.size());
        for (String id : ids) {
            ConversationState conversation = membership.find(caller.appId(), id).orElse(null);
            if (conversation == null) {
                continue; // member record ahead of the conversation's state; it shows up in a moment
            }
            entries.add(entry(conversation, current(caller, conversation, counters.getOrDefault(id, InboxStore.Counters.NONE)),
                    states.getOrDefault(id, InboxStore.UserState.NONE), null));
        }
        entries.sort(ORDER);
        return entries;
    }

    /**
     * The counters of the conversation itself: if they still hold a deleted conversation's messages
     * of the same id, those are erased first.
     */
    private InboxStore.Counters current(Caller caller, ConversationState conversation, InboxStore.Counters counters) {
        if (!counters.predate(conversation.getCreatedAt())) {
            return counters;
        }
        erasure.catchUp(caller.appId(), conversation.getConversationId());
        return store.counters(caller.appId(), List.of(conversation.getConversationId()))
                .getOrDefault(conversation.getConversationId(), InboxStore.Counters.NONE);
    }

    /** An entry with its last message, for the entries of a page (none when it was erased or removed by retention). */
    Entry withPreview(Caller caller, Entry entry) {
        Message last = entry.lastSeq() == 0 ? null
                : messages.lookup(caller.appId(), entry.conversationId(), entry.lastSeq()).orElse(null);
        if (last == null) {
            return entry;
        }
        String text = last.content().text();
        if (text.codePointCount(0, text.length()) > PREVIEW_LENGTH) {
            text = text.substring(0, text.offsetByCodePoints(0, PREVIEW_LENGTH)) + "…";
        }
        Preview preview = new Preview(last.seq(), last.senderId(), last.content().type().name(), text,
                last.status().name(), last.createdAt());
        return new Entry(entry.conversationId(), entry.type(), entry.name(), entry.lastSeq(), entry.changeSeq(),
                entry.lastActivityAt(), preview, entry.readSeq(), entry.unread(), entry.pinned(), entry.pinnedAt(),
                entry.muted(), entry.archived());
    }

    /** One conversation of the user, with its last message. */
    Entry entry(Caller caller, String conversationId) {
        String userId = caller.userId();
        ConversationState conversation = memberConversation(caller, conversationId);
        InboxStore.Counters counters = current(caller, conversation, store.counters(caller.appId(), List.of(conversationId))
                .getOrDefault(conversationId, InboxStore.Counters.NONE));
        InboxStore.UserState state = store.userStates(caller.appId(), userId, List.of(conversationId))
                .getOrDefault(conversationId, InboxStore.UserState.NONE);
        return withPreview(caller, entry(conversation, counters, state, null));
    }

    /**
     * Marks the conversation read up to {@code seq} (at most its last seq; never backward). When
     * the position moves, a {@code READ} event tells the user's other devices and, in groups small
     * enough, the other members.
     *
     * @return the user's read position after the call
     */
    @Transactional
    public long markRead(Caller caller, String conversationId, long seq) {
        String userId = caller.userId();
        memberConversation(caller, conversationId);
        long lastSeq = store.counters(caller.appId(), List.of(conversationId))
                .getOrDefault(conversationId, InboxStore.Counters.NONE).lastSeq();
        long target = Math.min(seq, lastSeq);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (target > 0 && store.advanceRead(caller.appId(), userId, conversationId, target, now)) {
            outbox.append(Topics.CHAT_MESSAGES, Topics.conversationKey(caller.appId(), conversationId),
                    ChatMessageEvent.newBuilder()
                            .setEventId("read:" + userId + ":" + target)
                            .setType(ChatEventType.READ)
                            .setAppId(caller.appId())
                            .setConversationId(conversationId)
                            .setSeq(target)
                            .setActorId(userId)
                            .setOccurredAt(now)
                            .build());
        }
        return store.userStates(caller.appId(), userId, List.of(conversationId))
                .getOrDefault(conversationId, InboxStore.UserState.NONE).readSeq();
    }

    /** Pins or unpins, mutes or unmutes the conversation for the user; {@code null} leaves a setting as it is. */
    @Transactional
    public Entry updateSettings(Caller caller, String conversationId, Boolean pinned, Boolean muted) {
        String userId = caller.userId();
        memberConversation(caller, conversationId);
        if (pinned != null) {
            InboxStore.UserState state = store.userStates(caller.appId(), userId, List.of(conversationId))
                    .getOrDefault(conversationId, InboxStore.UserState.NONE);
            if (pinned != (state.pinnedAt() != null)) {
                store.setPinned(caller.appId(), userId, conversationId,
                        pinned ? Instant.now().truncatedTo(ChronoUnit.MILLIS) : null);
            }
        }
        if (muted != null) {
            store.setMuted(caller.appId(), userId, conversationId, muted);
        }
        return entry(caller, conversationId);
    }

    /** Who of the current members has read up to {@code seq}. */
    public List<InboxStore.ReadPosition> readers(Caller caller, String conversationId, long seq) {
        Set<String> members = Set.copyOf(membership.memberIds(caller.appId(), conversationId));
        return store.readAtLeast(caller.appId(), conversationId, seq).stream()
                .filter(position -> members.contains(position.userId()))
                .toList();
    }

    /** The conversation's current number of members. */
    long memberCount(Caller caller, String conversationId) {
        return membership.find(caller.appId(), conversationId).map(ConversationState::getMemberCount).orElse(0L);
    }

    /** The read positions of the conversation's current members, by user id (0 for who has read nothing). */
    public List<InboxStore.ReadPosition> readPositions(Caller caller, String conversationId) {
        Map<String, InboxStore.ReadPosition> byUser = new LinkedHashMap<>();
        membership.memberIds(caller.appId(), conversationId).stream().sorted()
                .forEach(userId -> byUser.put(userId, new InboxStore.ReadPosition(userId, 0, null)));
        store.readAtLeast(caller.appId(), conversationId, 1).forEach(position -> byUser.computeIfPresent(
                position.userId(), (id, none) -> position));
        return List.copyOf(byUser.values());
    }

    /** A sender has read what they sent. */
    @EventListener
    void senderHasReadTheirMessage(Messages.MessageSent sent) {
        Message message = sent.message();
        if (message.senderType() == Message.SenderType.USER) {
            store.advanceRead(message.appId(), message.senderId(), message.conversationId(), message.seq(),
                    message.createdAt());
        }
    }

    private ConversationState memberConversation(Caller caller, String conversationId) {
        if (!membership.isMember(caller.appId(), conversationId, caller.userId())) {
            throw new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
        }
        return membership.find(caller.appId(), conversationId).orElseThrow(
                () -> new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId));
    }

    private static Entry entry(ConversationState conversation, InboxStore.Counters counters, InboxStore.UserState state,
                               Preview preview) {
        return new Entry(conversation.getConversationId(), conversation.getType().name(), conversation.getName(),
                counters.lastSeq(), counters.changeSeq(), counters.lastActivityAt(), preview, state.readSeq(),
                Math.max(0, counters.lastSeq() - Math.max(state.readSeq(), counters.firstSeq() - 1)),
                state.pinnedAt() != null, state.pinnedAt(),
                state.muted(), conversation.getArchived());
    }
}
