package io.switchboard.platform.directory;

import io.switchboard.events.membership.UserState;
import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.util.Optional;
import java.util.Set;

/**
 * The users of every app as membership-service publishes them on {@code membership.users}: each
 * user's state (display name, locale, whether active, departments with their ancestors, tags), and
 * the active users of each department (its whole subtree) and tag, from indexes kept up to date
 * as states change.
 *
 * <p>It lags membership-service by the time a record takes to cross Kafka: a user created a moment
 * ago may not be known yet ({@link #awaitCurrentEnd} waits until everything published so far is
 * applied). A state whose {@code version} is older than the one held for that user is ignored, so a
 * state re-sent after a newer one cannot undo it. A tombstone removes the user.
 */
public class UsersView extends CompactedTopicView<UserState> {

    private final ActiveUsersIndex active = new ActiveUsersIndex();

    public UsersView(KafkaProperties kafkaProperties) {
        super("users", Topics.MEMBERSHIP_USERS, ViewConsumers.properties(kafkaProperties));
        addListener((key, previous, current, partition, offset) -> active.changed(previous, current));
    }

    /** The user's state, active or not; empty for a user this view does not know. */
    public Optional<UserState> find(String appId, String userId) {
        return get(Topics.userKey(appId, userId));
    }

    /** The ids of the active users in the department or any department below it (a snapshot). */
    public Set<String> activeInDepartment(String appId, String departmentId) {
        return active.inDepartment(appId, departmentId);
    }

    /** The ids of the active users who carry the tag (a snapshot). */
    public Set<String> activeWithTag(String appId, String tag) {
        return active.withTag(appId, tag);
    }

    /** An equal version is the same state again; an older one arrived late and is ignored. */
    @Override
    protected boolean supersedes(UserState held, UserState incoming) {
        return incoming.getVersion() >= held.getVersion();
    }
}
