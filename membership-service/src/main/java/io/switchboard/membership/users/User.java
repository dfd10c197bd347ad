package io.switchboard.membership.users;

import java.time.Instant;
import java.util.Map;

/** A user of an app: who can be a member of conversations and receive notifications. */
public record User(String appId, String userId, String displayName, String email, Map<String, String> metadata,
                   boolean active, Instant directoryUpdatedAt, long version, Instant createdAt, Instant updatedAt) {

    /** The profile fields a change may set; a null field keeps the current value. */
    public record Profile(String displayName, String email, Map<String, String> metadata) {
    }

    User with(Profile profile, Boolean newActive, Instant newDirectoryUpdatedAt, Instant now) {
        return new User(appId, userId,
                profile.displayName() != null ? profile.displayName() : displayName,
                profile.email() != null ? profile.email() : email,
                profile.metadata() != null ? profile.metadata() : metadata,
                newActive != null ? newActive : active,
                newDirectoryUpdatedAt != null ? newDirectoryUpdatedAt : directoryUpdatedAt,
                version + 1, createdAt, now);
    }

    /** Whether applying {@code other}'s fields would change nothing. */
    boolean sameAs(User other) {
        return java.util.Objects.equals(displayName, other.displayName) && java.util.Objects.equals(email, other.email)
                && metadata.equals(other.metadata) && active == other.active;
    }
}
