package io.switchboard.platform.directory;

import io.switchboard.events.membership.UserState;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which active users each department and tag of an app holds, kept up to date from each change of
 * a user's state, so that a department or tag is answered without scanning every user. A user's
 * departments already include the ancestors of theirs (membership-service publishes them so), so a
 * department holds its whole subtree. Written by one thread (the view's), read by any.
 */
final class ActiveUsersIndex {

    /** One department or tag of one app. */
    private record Group(String appId, String groupId) {
    }

    private final Map<Group, Set<String>> departments = new ConcurrentHashMap<>();
    private final Map<Group, Set<String>> tags = new ConcurrentHashMap<>();

    /** A user's state went from {@code previous} to {@code current}; null is no user (new, or a tombstone). */
    void changed(UserState previous, UserState current) {
        UserState user = current != null ? current : previous;
        if (user == null) {
            return;
        }
        update(departments, user, groups(previous, UserState::getDepartmentIds),
                groups(current, UserState::getDepartmentIds));
        update(tags, user, groups(previous, UserState::getTags), groups(current, UserState::getTags));
    }

    Set<String> inDepartment(String appId, String departmentId) {
        return snapshot(departments, new Group(appId, departmentId));
    }

    Set<String> withTag(String appId, String tag) {
        return snapshot(tags, new Group(appId, tag));
    }

    /** The groups a state puts its user in: none unless the user is active. */
    private static Set<String> groups(UserState state, Function<UserState, List<String>> groups) {
        return state == null || !state.getActive() ? Set.of() : Set.copyOf(groups.apply(state));
    }

    /** Touches only the groups the user joined or left, so readers never miss a user who stays in one. */
    private static void update(Map<Group, Set<String>> index, UserState user, Set<String> before, Set<String> after) {
        for (String joined : after) {
            if (!before.contains(joined)) {
                index.computeIfAbsent(new Group(user.getAppId(), joined), k -> ConcurrentHashMap.newKeySet())
                        .add(user.getUserId());
            }
        }
        for (String left : before) {
            if (!after.contains(left)) {
                index.computeIfPresent(new Group(user.getAppId(), left), (k, users) -> {
                    users.remove(user.getUserId());
                    return users.isEmpty() ? null : users;
                });
            }
        }
    }

    private static Set<String> snapshot(Map<Group, Set<String>> index, Group group) {
        Set<String> users = index.get(group);
        return users == null ? Set.of() : Set.copyOf(users);
    }
}
