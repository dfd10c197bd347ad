package io.switchboard.membership.users;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A user of an app: who can be a member of conversations and receive notifications.
 *
 * @param locale    preferred locale, a canonical BCP 47 language tag, or {@code null} when unknown
 * @param version   increases with every change of the user, their departments and tags included
 */
public record User(String appId, String userId, String displayName, String email, String locale,
                   Map<String, String> metadata, boolean active, Instant directoryUpdatedAt, long version,
                   Instant createdAt, Instant updatedAt) {

    /**
     * The profile fields a change may set; a null field keeps the current value. A locale is kept
     * in its canonical form ({@code pt-br} becomes {@code pt-BR}); callers validate it first
     * ({@link LanguageTags}).
     */
    public record Profile(String displayName, String email, Map<String, String> metadata, String locale) {
        public Profile {
            String given = locale;
            locale = given == null ? null : LanguageTags.canonical(given).orElseThrow(() ->
                    new IllegalArgumentException("Not a BCP 47 language tag: " + given));
        }
    }

    /** A new user, version 1. */
    static User created(String appId, String userId, Profile profile, boolean active, Instant directoryUpdatedAt,
                        Instant now) {
        return new User(appId, userId, profile.displayName(), profile.email(), profile.locale(),
                profile.metadata() == null ? Map.of() : profile.metadata(), active, directoryUpdatedAt, 1, now, now);
    }

    User with(Profile profile, Boolean newActive, Instant newDirectoryUpdatedAt, Instant now) {
        return new User(appId, userId,
                profile.displayName() != null ? profile.displayName() : displayName,
                profile.email() != null ? profile.email() : email,
                profile.locale() != null ? profile.locale() : locale,
                profile.metadata() != null ? profile.metadata() : metadata,
                newActive != null ? newActive : active,
                newDirectoryUpdatedAt != null ? newDirectoryUpdatedAt : directoryUpdatedAt,
                version + 1, createdAt, now);
    }

    /** Whether applying {@code other}'s fields would change nothing. */
    boolean sameAs(User other) {
        return Objects.equals(displayName, other.displayName) && Objects.equals(email, other.email)
                && Objects.equals(locale, other.locale) && metadata.equals(other.metadata) && active == other.active;
    }
}
