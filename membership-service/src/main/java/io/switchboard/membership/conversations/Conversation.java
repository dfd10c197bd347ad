package io.switchboard.membership.conversations;

import java.time.Instant;
import java.util.Map;

/**
 * A conversation of an app, as membership-service stores it; its members are rows of their own
 * ({@link Member}), so a conversation of any size is read and changed without loading them all.
 */
record Conversation(String appId, String conversationId, Type type, String name, long version, long memberCount,
                    boolean archived, Map<String, String> metadata, PostingPolicy postingPolicy,
                    AddMembersPolicy addMembersPolicy, boolean mutedAll, String source,
                    Instant createdAt, Instant updatedAt) {

    enum Type { DIRECT, GROUP, SYSTEM }

    enum Role { OWNER, ADMIN, MEMBER }

    /** Who may post: every member, or only the owner and admins. */
    enum PostingPolicy { EVERYONE, ADMINS }

    /** Who may add members: the owner and admins, or every member. */
    enum AddMembersPolicy { ADMINS, EVERYONE }

    /** One member: role, mute (until a time), exemption from mute-all, and when they joined. */
    record Member(String userId, Role role, Instant mutedUntil, boolean mutedAllExempt, Instant joinedAt) {

        static Member joining(String userId, Role role, Instant now) {
            return new Member(userId, role, null, false, now);
        }

        boolean privileged() {
            return role != Role.MEMBER;
        }

        Member withRole(Role newRole) {
            return new Member(userId, newRole, mutedUntil, mutedAllExempt, joinedAt);
        }
    }

    /** This conversation after a change: next version, new member count, new time. */
    Conversation changed(long newMemberCount, Instant now) {
        return new Conversation(appId, conversationId, type, name, version + 1, newMemberCount, archived, metadata,
                postingPolicy, addMembersPolicy, mutedAll, source, createdAt, now);
    }

    /** This conversation with new attributes (members unchanged), not yet versioned. */
    Conversation withAttributes(String newName, Map<String, String> newMetadata, PostingPolicy newPostingPolicy,
                                AddMembersPolicy newAddMembersPolicy, boolean newMutedAll, boolean newArchived) {
        return new Conversation(appId, conversationId, type, newName, version, memberCount, newArchived, newMetadata,
                newPostingPolicy, newAddMembersPolicy, newMutedAll, source, createdAt, updatedAt);
    }
}
