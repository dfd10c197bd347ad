package io.switchboard.membership.users;

import io.switchboard.platform.erasure.AppDataEraser;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;

/**
 * The users of a deleted app are removed with a tombstone each on {@code membership.users}, so the
 * compacted topic (and every service's users view) keeps nothing of them.
 */
@Component
class UsersOfDeletedApps implements AppDataEraser {

    private static final int BATCH = 500;

    private final UserStore store;
    private final Outbox outbox;
    private final TransactionTemplate transactions;

    UsersOfDeletedApps(UserStore store, Outbox outbox, PlatformTransactionManager transactions) {
        this.store = store;
        this.outbox = outbox;
        this.transactions = new TransactionTemplate(transactions);
    }

    @Override
    public Map<String, Long> erase(String appId) {
        long users = AppDataEraser.inBatches(transactions, () -> {
            List<String> ids = store.idsOf(appId, BATCH);
            for (String userId : ids) {
                store.delete(appId, userId);
                outbox.appendTombstone(Topics.MEMBERSHIP_USERS, Topics.userKey(appId, userId));
            }
            return ids.size();
        });
        return Map.of("users", users);
    }
}
