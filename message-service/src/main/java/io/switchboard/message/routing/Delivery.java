package io.switchboard.message.routing;

import io.switchboard.message.messages.Content;

import java.time.Duration;

/**
 * One notification a rule plans for one recipient, before noise control: where it goes, what it
 * says, and what the recipient's preferences and the rule make of it.
 *
 * @param recipient      {@code user:<id>} or {@code conversation:<id>}; throttles and digests count per recipient
 * @param userId         null for a group conversation
 * @param variant        the content's locale variant, null for the default
 * @param digestWindow   set when the notification is to be digested (by the rule or the user's preference)
 */
record Delivery(String recipient, String userId, String conversationId, String variant, Content content,
                Decision decision, Duration digestWindow) {

    /** What happens to it, before throttling. */
    enum Decision { SEND, DIGEST, MUTED }
}
