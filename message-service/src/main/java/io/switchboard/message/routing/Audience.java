package io.switchboard.message.routing;

import java.util.List;
import java.util.Set;

/**
 * Whom a rule notifies for one event: active users (each in their system conversation for the
 * source) and group conversations, plus what could not be resolved — reported, not fatal, unless
 * nothing at all is left.
 *
 * @param unknownUsers  named by the rule or the event but not users of the app
 * @param inactiveUsers deactivated users
 * @param unresolved    targets that named nothing usable, in words (e.g. a missing event field)
 */
record Audience(Set<String> users, Set<String> conversations, List<String> unknownUsers, List<String> inactiveUsers,
                List<String> unresolved) {

    boolean isEmpty() {
        return users.isEmpty() && conversations.isEmpty();
    }
}
