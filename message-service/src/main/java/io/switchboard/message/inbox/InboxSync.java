package io.switchboard.message.inbox;

import io.switchboard.message.messages.MessageResponse;
import io.switchboard.message.messages.Messages;
import io.switchboard.platform.security.Caller;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * "What changed since": a client resuming after being offline sends the last change seq it saw
 * per conversation and gets, per conversation with news, its current state and the messages
 * created, edited, recalled or deleted since then, in change order.
 */
@Service
public class InboxSync {

    private final Inbox inbox;
    private final Messages messages;

    InboxSync(Inbox inbox, Messages messages) {
        this.inbox = inbox;
        this.messages = messages;
    }

    /**
     * One conversation with news.
     *
     * @param known   false for a conversation the client did not mention (new to it): no changes are
     *                listed, the client reads its latest history
     * @param hasMore more changes than {@code limit}: continue with the last change seq listed
     */
    public record ConversationChanges(Inbox.Entry conversation, boolean known, List<MessageResponse> changes,
                                      boolean hasMore) {
    }

    /**
     * @param removed conversations the client mentioned that are no longer the user's
     */
    public record Result(List<ConversationChanges> conversations, List<String> removed) {
    }

    /**
     * Conversations with news: unknown to the client, changed after the client's change seq, or
     * with unread messages. Conversations left out have nothing new.
     */
    public Result since(Caller caller, Map<String, Long> knownChangeSeqs, int limit) {
        List<Inbox.Entry> entries = inbox.entries(caller);
        List<ConversationChanges> result = new ArrayList<>();
        for (Inbox.Entry entry : entries) {
            Long known = knownChangeSeqs.get(entry.conversationId());
            if (known == null) {
                result.add(new ConversationChanges(inbox.withPreview(caller, entry), false, List.of(), false));
            } else if (entry.changeSeq() > known || entry.unread() > 0) {
                var changed = messages.changedAfter(caller, entry.conversationId(), known, limit + 1);
                result.add(new ConversationChanges(inbox.withPreview(caller, entry), true,
                        changed.stream().limit(limit).map(MessageResponse::of).toList(), changed.size() > limit));
            }
        }
        Set<String> current = entries.stream().map(Inbox.Entry::conversationId).collect(Collectors.toSet());
        List<String> removed = knownChangeSeqs.keySet().stream().filter(id -> !current.contains(id)).sorted().toList();
        return new Result(result, removed);
    }
}
