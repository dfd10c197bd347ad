package io.switchboard.membership.conversations;

import io.switchboard.platform.erasure.AppDataEraser;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The conversations of a deleted app are deleted as a conversation is: with the tombstones of
 * their members and their states, so every other service's views forget them and message-service
 * erases their messages.
 */
@Component
class ConversationsOfDeletedApps implements AppDataEraser {

    private static final int BATCH = 200;

    private final ConversationStore store;
    private final MembershipEvents events;
    private final TransactionTemplate transactions;

    ConversationsOfDeletedApps(ConversationStore store, MembershipEvents events, PlatformTransactionManager transactions) {
        this.store = store;
        this.events = events;
        this.transactions = new TransactionTemplate(transactions);
    }

    @Override
    public Map<String, Long> erase(String appId) {
        AtomicLong members = new AtomicLong();
        long conversations = AppDataEraser.inBatches(transactions, () -> {
            List<String> ids = store.idsOf(appId, BATCH);
            for (String conversationId : ids) {
                List<String> memberIds = store.memberIds(appId, conversationId);
                store.delete(appId, conversationId);
                events.deleted(appId, conversationId, memberIds);
                members.addAndGet(memberIds.size());
            }
            return ids.size();
        });
        return Map.of("conversations", conversations, "conversation_members", members.get());
    }
}
