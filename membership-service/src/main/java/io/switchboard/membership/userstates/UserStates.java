package io.switchboard.membership.userstates;

import io.switchboard.events.membership.UserState;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Publishes each user's {@link UserState} on {@code membership.users} through the outbox, in the
 * transaction that changed the user, their departments or their tags (never a dual write).
 *
 * <p>Changes only mark users; just before the transaction commits, each marked user's state is
 * read once, as the transaction leaves it, and appended to the outbox. So a directory record that
 * changes a profile and several groups publishes one state, and a bulk change publishes one per
 * user. The users' rows are locked while their states are read, so two transactions changing one
 * user append their states in the order they commit, and the compacted topic keeps the newest.
 *
 * <p>Versions: a profile change raises the user's {@code version} itself (see {@code Users}); a
 * change of departments or tags does not touch the users row, so it raises the version here, by
 * one per transaction. The version of a user therefore increases with every committed change of
 * anything their state carries, and consumers can ignore an older state re-sent by the relay.
 */
@Component
public class UserStates {

    /** Users read and published per statement. */
    static final int BATCH = 500;

    private final UserStateStore store;
    private final Outbox outbox;

    UserStates(UserStateStore store, Outbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    /** The profile or activity of these users changed in the current transaction, and their rows carry the new version. */
    public void changed(String appId, Collection<String> userIds) {
        changes().mark(appId, userIds, false);
    }

    public void changed(String appId, String userId) {
        changed(appId, List.of(userId));
    }

    /**
     * The departments or tags of these users changed in the current transaction (they joined or
     * left a group, or a department above theirs moved or was deleted): each one's version goes up
     * by one before their state is published.
     */
    public void groupsChanged(String appId, Collection<String> userIds) {
        changes().mark(appId, userIds, true);
    }

    private Changes changes() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("User states are published in the transaction of the change");
        }
        Changes changes = (Changes) TransactionSynchronizationManager.getResource(this);
        if (changes == null) {
            changes = new Changes();
            TransactionSynchronizationManager.bindResource(this, changes);
            TransactionSynchronizationManager.registerSynchronization(changes);
        }
        return changes;
    }

    /** The users marked in one transaction, by app; published just before it commits. */
    private final class Changes implements TransactionSynchronization {

        private final Map<String, SortedSet<String>> marked = new TreeMap<>();
        private final Map<String, SortedSet<String>> regrouped = new TreeMap<>();

        void mark(String appId, Collection<String> userIds, boolean groups) {
            marked.computeIfAbsent(appId, k -> new TreeSet<>()).addAll(userIds);
            if (groups) {
                regrouped.computeIfAbsent(appId, k -> new TreeSet<>()).addAll(userIds);
            }
        }

        /** Users are locked in id order, so two transactions marking the same users wait instead of deadlocking. */
        @Override
        public void beforeCommit(boolean readOnly) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            regrouped.forEach((appId, userIds) -> batches(userIds).forEach(batch -> store.raiseVersions(appId, batch, now)));
            marked.forEach((appId, userIds) -> batches(userIds).forEach(batch -> outbox.appendAll(Topics.MEMBERSHIP_USERS,
                    store.lockedStates(appId, batch).stream()
                            .map(state -> new Outbox.Keyed(Topics.userKey(appId, state.getUserId()), state))
                            .toList())));
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResource(UserStates.this);
        }
    }

    private static List<List<String>> batches(SortedSet<String> userIds) {
        List<String> all = List.copyOf(userIds);
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            batches.add(all.subList(from, Math.min(from + BATCH, all.size())));
        }
        return batches;
    }
}
