package io.switchboard.message.erasure;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.Map;

/**
 * Deleting a conversation erases its messages, and a conversation created again under the same id
 * never shows them. Conversations are told apart by their {@code createdAt} (membership.changes):
 * the messages from {@code first_seq} on belong to the conversation created at {@code incarnation}.
 * Seqs are never reused, so every cursor a client holds stays valid.
 *
 * <p>Erasure happens at the first of: the deletion's tombstone ({@link #erase}), the first message
 * of the new conversation ({@link #admitAppends}), the first read of it ({@link #catchUp}); so the
 * old history is gone before anyone of the new conversation could see it, even while this
 * service's tombstone consumer lags. Messages posted to the deleted conversation after it was
 * deleted (a request already past its membership check) are refused.
 *
 * <p>Kafka keeps what was published about the erased messages ({@code chat.messages}) until its
 * retention removes it.
 */
@Service
public class ConversationErasure {

    private static final Logger log = LoggerFactory.getLogger(ConversationErasure.class);
    /** Counter of erasures ({@code switchboard_conversations_erased_total}), tagged with what started them. */
    static final String METRIC = "switchboard.conversations.erased";

    private final ConversationLifecycleStore store;
    private final MembershipView membership;
    private final MeterRegistry meters;

    ConversationErasure(ConversationLifecycleStore store, MembershipView membership, MeterRegistry meters) {
        this.store = store;
        this.membership = membership;
        this.meters = meters;
    }

    /** The deletion of a conversation, as its tombstone says: erases what it stored. */
    @Transactional
    public void erase(String appId, String conversationId, Instant deletedAt) {
        ConversationLifecycleStore.Lifecycle row = store.lock(appId, conversationId);
        Instant erasedUntil = row.erasedUntil() == null || row.erasedUntil().isBefore(deletedAt) ? deletedAt : row.erasedUntil();
        if (row.incarnation() != null && row.incarnation().isAfter(deletedAt)) {
            // a conversation created after this deletion has messages already: the older ones went when it started
            store.setErasedUntil(appId, conversationId, erasedUntil);
            return;
        }
        long firstSeq = row.lastSeq() + 1;
        store.startHistory(appId, conversationId, firstSeq, null, erasedUntil);
        report("deleted", appId, conversationId, firstSeq, store.eraseBelow(appId, conversationId, firstSeq, deletedAt));
    }

    /**
     * Before new messages get seqs from each conversation's {@code lastSeq + 1}, with the
     * conversations' counters locked by the caller's transaction: messages for a conversation that
     * has been deleted since the request's checks are refused ({@code conversation-not-found}), and
     * the first message of a conversation created again starts its history (erasing the old one).
     *
     * @param lastSeqs each conversation's last seq before these messages
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void admitAppends(String appId, Map<String, Long> lastSeqs) {
        Map<String, ConversationLifecycleStore.Lifecycle> rows = store.locked(appId, lastSeqs.keySet());
        lastSeqs.forEach((conversationId, lastSeq) -> {
            ConversationState current = membership.find(appId, conversationId).orElseThrow(() -> gone(conversationId));
            Instant createdAt = current.getCreatedAt();
            ConversationLifecycleStore.Lifecycle row = rows.get(conversationId);
            if (createdAt == null || row == null) {
                return; // published before conversations carried createdAt: nothing to tell apart
            }
            if (row.erasedUntil() != null && !createdAt.isAfter(row.erasedUntil())
                    || row.incarnation() != null && createdAt.isBefore(row.incarnation())) {
                throw gone(conversationId); // this instance's view is behind a deletion
            }
            if (row.incarnation() == null) {
                store.setIncarnation(appId, conversationId, createdAt);
            } else if (createdAt.isAfter(row.incarnation())) {
                startAgain(appId, conversationId, lastSeq + 1, createdAt, row.erasedUntil(), "recreated-on-post");
            }
        });
    }

    /**
     * Before a read of the conversation: if it was created again since its last messages and
     * nothing erased the old ones yet, erases them now.
     */
    @Transactional
    public void catchUp(String appId, String conversationId) {
        Instant createdAt = membership.find(appId, conversationId).map(ConversationState::getCreatedAt).orElse(null);
        if (createdAt == null || !isOlder(store.find(appId, conversationId).orElse(null), createdAt)) {
            return;
        }
        ConversationLifecycleStore.Lifecycle row = store.lock(appId, conversationId);
        if (isOlder(row, createdAt)) {
            startAgain(appId, conversationId, row.lastSeq() + 1, createdAt, row.erasedUntil(), "recreated-on-read");
        }
    }

    /**
     * The first seq of the conversation's own history, given its stored counters and the
     * conversation as the membership view has it now (null createdAt: not known).
     */
    public static long firstSeq(long firstSeq, long lastSeq, Instant incarnation, Instant createdAt) {
        return incarnation != null && createdAt != null && createdAt.isAfter(incarnation) ? lastSeq + 1 : firstSeq;
    }

    private static boolean isOlder(ConversationLifecycleStore.Lifecycle row, Instant createdAt) {
        return row != null && row.incarnation() != null && createdAt.isAfter(row.incarnation());
    }

    private void startAgain(String appId, String conversationId, long firstSeq, Instant createdAt, Instant erasedUntil,
                            String cause) {
        store.startHistory(appId, conversationId, firstSeq, createdAt, erasedUntil);
        report(cause, appId, conversationId, firstSeq, store.eraseBelow(appId, conversationId, firstSeq, createdAt));
    }

    private void report(String cause, String appId, String conversationId, long firstSeq,
                        ConversationLifecycleStore.Erased erased) {
        meters.counter(METRIC, "cause", cause).increment();
        log.info("Erased conversation {} of app {} below seq {} ({}): {}", conversationId, appId, firstSeq, cause, erased);
    }

    private static ApiException gone(String conversationId) {
        return new ApiException(ErrorCode.CONVERSATION_NOT_FOUND, "No conversation " + conversationId);
    }
}
