package io.switchboard.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Ids of derived conversations, which exist at most once: a user's system conversation per source
 * and a pair of users' direct conversation. membership-service creates them under these ids;
 * message-service routing computes the same id to address a user's system conversation before it
 * exists.
 */
public final class SystemConversations {

    private SystemConversations() {
    }

    /** The id of {@code userId}'s system conversation for notifications from {@code source}. */
    public static String id(String userId, String source) {
        return derivedId("s_", List.of(userId, source));
    }

    /** The id of the direct conversation between two users (in either order). */
    public static String directId(String oneUserId, String otherUserId) {
        return derivedId("d_", java.util.stream.Stream.of(oneUserId, otherUserId).sorted().toList());
    }

    private static String derivedId(String prefix, List<String> parts) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
