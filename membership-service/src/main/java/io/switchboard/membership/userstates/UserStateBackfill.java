package io.switchboard.membership.userstates;

import io.switchboard.platform.BackgroundWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Publishes, once, the states of users queued in {@code user_state_backfill}: the users that
 * existed before membership.users did (queued by migration V7), or all users again when an
 * operator queues them. It runs at start-up, in batches of {@value UserStates#BATCH} users, each
 * batch published and dequeued in one transaction, so a restart resumes where it stopped and
 * several instances share the work ({@code SKIP LOCKED}). Publishing a state twice is harmless:
 * it carries the user's current version. When the queue is empty it does nothing and ends.
 */
@Component
class UserStateBackfill extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(UserStateBackfill.class);
    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);

    private final UserStateStore store;
    private final UserStates states;
    private final TransactionTemplate transactions;

    UserStateBackfill(UserStateStore store, UserStates states, PlatformTransactionManager transactionManager) {
        super("user-state-backfill");
        this.store = store;
        this.states = states;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Override
    protected void work() {
        while (isRunning()) {
            try {
                int published = publishQueued();
                if (published > 0) {
                    log.info("Published the state of {} queued users on membership.users", published);
                }
                return;
            } catch (RuntimeException e) {
                log.warn("Publishing queued user states failed, retrying in {} s: {}", RETRY_INTERVAL.toSeconds(),
                        e.toString());
                try {
                    Thread.sleep(RETRY_INTERVAL);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Publishes every queued user's state; returns how many there were. */
    int publishQueued() {
        int total = 0;
        for (int published; isRunning() && (published = publishBatch()) > 0; ) {
            total += published;
        }
        return total;
    }

    private int publishBatch() {
        return transactions.execute(status -> {
            Map<String, List<String>> queued = store.queued(UserStates.BATCH);
            queued.forEach((appId, userIds) -> {
                states.changed(appId, userIds);
                store.dequeue(appId, userIds);
            });
            return queued.values().stream().mapToInt(List::size).sum();
        });
    }
}
