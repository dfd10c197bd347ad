package io.switchboard.membership.users;

import io.switchboard.events.directory.DirectoryUser;
import io.switchboard.membership.userstates.UserStates;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Provisions the users of an app: over HTTP (one at a time or in bulk) and from an upstream
 * directory on {@code directory.users}. Every path is an idempotent upsert by user id, so a
 * re-sent import or a redelivered record changes nothing. Only existing, active users can join
 * conversations. Every change is published on {@code membership.users} with the user's departments
 * and tags, in the same transaction ({@link UserStates}).
 */
@Service
public class Users {

    private static final int LISTED_IN_ERRORS = 10;

    private final UserStore store;
    private final UserStates states;

    Users(UserStore store, UserStates states) {
        this.store = store;
        this.states = states;
    }

    /** What an upsert did. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED, STALE }

    @Transactional
    User create(String appId, String userId, User.Profile profile) {
        User user = User.created(appId, userId, profile, true, null, now());
        if (!store.insert(user)) {
            throw new ApiException(ErrorCode.USER_EXISTS, "User " + userId + " exists");
        }
        states.changed(appId, userId);
        return user;
    }

    User get(String appId, String userId) {
        return store.find(appId, userId).orElseThrow(() -> notFound(userId));
    }

    List<User> list(String appId, String search, String afterUserId, boolean includeInactive, int limit) {
        return store.list(appId, search, afterUserId, includeInactive, limit);
    }

    @Transactional
    User change(String appId, String userId, User.Profile profile, Boolean active) {
        User current = store.findForUpdate(appId, userId).orElseThrow(() -> notFound(userId));
        User changed = current.with(profile, active, null, now());
        if (changed.sameAs(current)) {
            return current;
        }
        store.update(changed);
        states.changed(appId, userId);
        return changed;
    }

    /** Creates or updates each user (all in one transaction); returns what happened per outcome. */
    @Transactional
    Map<Outcome, Integer> importUsers(String appId, Map<String, User.Profile> profiles) {
        Map<Outcome, Integer> counts = new HashMap<>();
        profiles.forEach((userId, profile) -> counts.merge(upsert(appId, userId, profile, true, null), 1, Integer::sum));
        return counts;
    }

    /**
     * Applies one directory record: creates or updates the user, or deactivates them. A record not
     * newer than the last one applied for this user changes nothing (redelivery, replay, reordering)
     * and is reported {@link Outcome#STALE}.
     */
    @Transactional
    public Outcome applyDirectory(DirectoryUser record) {
        Optional<User> current = store.findForUpdate(record.getAppId(), record.getUserId());
        if (current.isPresent() && current.get().directoryUpdatedAt() != null
                && !record.getUpdatedAt().isAfter(current.get().directoryUpdatedAt())) {
            return Outcome.STALE;
        }
        return upsert(record.getAppId(), record.getUserId(), new User.Profile(record.getDisplayName(), record.getEmail(),
                Map.copyOf(record.getMetadata()), record.getLocale()), record.getActive(), record.getUpdatedAt());
    }

    /** A directory tombstone: the user left. */
    @Transactional
    public Outcome deactivateFromDirectory(String appId, String userId) {
        Optional<User> current = store.findForUpdate(appId, userId);
        if (current.isEmpty() || !current.get().active()) {
            return Outcome.UNCHANGED;
        }
        store.update(current.get().with(new User.Profile(null, null, null, null), false, null, now()));
        states.changed(appId, userId);
        return Outcome.UPDATED;
    }

    /** Of {@code userIds}, those that are active users of the app. */
    public List<String> activeOf(String appId, Collection<String> userIds) {
        return store.active(appId, userIds);
    }

    /**
     * Of {@code userIds}, the display names of the users who have one, by user id; deactivated users
     * keep theirs (what they wrote stays attributable).
     */
    public Map<String, String> displayNamesOf(String appId, Collection<String> userIds) {
        return store.displayNames(appId, userIds);
    }

    /**
     * Refuses unless every one of {@code userIds} is a user of the app and active: the error names
     * (up to ten of) the users at fault.
     */
    public void requireActive(String appId, Collection<String> userIds) {
        Set<String> missing = new LinkedHashSet<>(userIds);
        missing.removeAll(store.active(appId, missing));
        if (missing.isEmpty()) {
            return;
        }
        List<String> named = missing.stream().limit(LISTED_IN_ERRORS).toList();
        boolean anyInactive = missing.stream().limit(LISTED_IN_ERRORS)
                .anyMatch(id -> store.find(appId, id).isPresent());
        throw anyInactive
                ? new ApiException(ErrorCode.USER_DEACTIVATED, "Deactivated or unknown users: " + named)
                : new ApiException(ErrorCode.USER_NOT_FOUND, "Unknown users (provision them first): " + named);
    }

    private Outcome upsert(String appId, String userId, User.Profile profile, boolean active, Instant directoryUpdatedAt) {
        Instant now = now();
        Optional<User> current = store.findForUpdate(appId, userId);
        if (current.isEmpty()) {
            if (store.insert(User.created(appId, userId, profile, active, directoryUpdatedAt, now))) {
                states.changed(appId, userId);
                return Outcome.CREATED;
            }
            current = store.findForUpdate(appId, userId);
        }
        User before = current.orElseThrow();
        User changed = before.with(profile, active, directoryUpdatedAt, now);
        if (changed.sameAs(before)) {
            if (directoryUpdatedAt != null) {
                store.recordDirectoryUpdate(appId, userId, directoryUpdatedAt);
            }
            return Outcome.UNCHANGED;
        }
        store.update(changed);
        states.changed(appId, userId);
        return Outcome.UPDATED;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ApiException notFound(String userId) {
        return new ApiException(ErrorCode.USER_NOT_FOUND, "No user " + userId);
    }
}
