package io.switchboard.membership.conversations;

import java.time.Instant;
import java.util.List;

/** A conversation of an app with its members, as membership-service stores it. */
record Conversation(String appId, String conversationId, Type type, String name, long version,
                    List<Member> members, Instant createdAt, Instant updatedAt) {

    enum Type { DIRECT, GROUP, SYSTEM }

    enum Role { OWNER, ADMIN, MEMBER }

    record Member(String userId, Role role) {
    }

    boolean hasMember(String userId) {
        return members.stream().anyMatch(m -> m.userId().equals(userId));
    }
}
