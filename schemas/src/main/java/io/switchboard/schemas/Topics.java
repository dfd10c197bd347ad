package io.switchboard.schemas;

import io.switchboard.events.auth.AppState;
import io.switchboard.events.auth.TokenRevocation;
import io.switchboard.events.chat.CardUpdateRequest;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.events.directory.DirectoryUser;
import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.SystemConversationRequest;
import io.switchboard.events.membership.UserState;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.events.push.GatewayHeartbeat;
import io.switchboard.events.push.NotificationOutcome;
import io.switchboard.events.push.PushDelivery;

import java.util.List;

/**
 * Every topic Switchboard reads or writes, in one place. Listeners and producers refer to these
 * constants, never to string literals; {@code schemas/asyncapi.yaml} documents the same topics.
 */
public final class Topics {

    /** Business events from upstream systems; produced by them, consumed by message-service routing. */
    public static final TopicSpec INTEGRATION_EVENTS =
            new TopicSpec("integration.events", 6, false, "eventId", BusinessEvent.class);

    /** Records of integration.events that could not be read or routed, with the reason in headers. */
    public static final TopicSpec INTEGRATION_EVENTS_DLT = INTEGRATION_EVENTS.deadLetter();

    /** Message log changes, produced by message-service's outbox relay. */
    public static final TopicSpec CHAT_MESSAGES =
            new TopicSpec("chat.messages", 12, false, "<appId>/<conversationId>", ChatMessageEvent.class);

    /** Chat events push-service could not read. */
    public static final TopicSpec CHAT_MESSAGES_DLT = CHAT_MESSAGES.deadLetter();

    /**
     * Apps' answers to card actions asking to replace a card, relayed by push-service from the
     * webhook response, applied by message-service.
     */
    public static final TopicSpec CHAT_CARD_UPDATES =
            new TopicSpec("chat.card.updates", 6, false, "<appId>/<conversationId>", CardUpdateRequest.class);

    /** Card update requests message-service could not read or apply, with the reason in headers. */
    public static final TopicSpec CHAT_CARD_UPDATES_DLT = CHAT_CARD_UPDATES.deadLetter();

    /** Users as an upstream directory publishes them (HR sync), consumed by membership-service. */
    public static final TopicSpec DIRECTORY_USERS =
            new TopicSpec("directory.users", 6, true, "<appId>/<userId>", DirectoryUser.class);

    /** Records of directory.users membership-service could not read or apply, with the reason in headers. */
    public static final TopicSpec DIRECTORY_USERS_DLT = DIRECTORY_USERS.deadLetter();

    /** State per conversation (without its members), produced by membership-service. */
    public static final TopicSpec MEMBERSHIP_CHANGES =
            new TopicSpec("membership.changes", 6, true, "<appId>/<conversationId>", ConversationState.class);

    /** One record per member of a conversation, produced by membership-service. */
    public static final TopicSpec MEMBERSHIP_MEMBERS =
            new TopicSpec("membership.members", 12, true, "<appId>/<conversationId>/<userId>", ConversationMember.class);

    /** State per user (locale, active, departments with their ancestors, tags), produced by membership-service. */
    public static final TopicSpec MEMBERSHIP_USERS =
            new TopicSpec("membership.users", 6, true, "<appId>/<userId>", UserState.class);

    /** Requests for a user's system conversation per source, produced by message-service routing. */
    public static final TopicSpec MEMBERSHIP_REQUESTS =
            new TopicSpec("membership.requests", 6, false, "<appId>/<userId>", SystemConversationRequest.class);

    /** Requests membership-service could not read or apply, with the reason in headers. */
    public static final TopicSpec MEMBERSHIP_REQUESTS_DLT = MEMBERSHIP_REQUESTS.deadLetter();

    /** App state per app, produced by auth-service. */
    public static final TopicSpec AUTH_APPS =
            new TopicSpec("auth.apps", 3, true, "appId", AppState.class);

    /**
     * User tokens revoked before they expire (signed out everywhere, or one token): every service
     * refuses them; tombstoned once they have all expired.
     */
    public static final TopicSpec AUTH_REVOCATIONS =
            new TopicSpec("auth.revocations", 3, true, "<appId>/<userId> or <appId>/<userId>/<tokenId>",
                    TokenRevocation.class);

    /** Live sessions per user, produced by push-service gateways. */
    public static final TopicSpec PRESENCE_CHANGES =
            new TopicSpec("presence.changes", 6, true, "<appId>/<userId>", PresenceState.class);

    /**
     * Per-gateway deliveries, produced by push-service's fanout stage. Partition = gateway
     * ordinal, so the partition count is the number of gateways (1 on the local stack).
     */
    public static final TopicSpec PUSH_DELIVERIES =
            new TopicSpec("push.deliveries", 1, false, "<appId>/<conversationId>", PushDelivery.class);

    /** Deliveries a gateway could not read. */
    public static final TopicSpec PUSH_DELIVERIES_DLT = PUSH_DELIVERIES.deadLetter();

    /**
     * The latest heartbeat of each push-service gateway, produced by the gateways themselves: a
     * gateway whose heartbeats stop (a crash) is gone, and the live ones remove its sessions from
     * presence.
     */
    public static final TopicSpec PUSH_GATEWAYS =
            new TopicSpec("push.gateways", 1, true, "<gateway ordinal>", GatewayHeartbeat.class);

    /**
     * What became of routed notifications per recipient, produced by push-service's fanout stage
     * (offline recipients) and gateways (pushed or connection lost), acknowledged before they commit
     * the records they report on; read by push-service's webhook sources.
     */
    public static final TopicSpec PUSH_NOTIFICATION_OUTCOMES =
            new TopicSpec("push.notification.outcomes", 6, false, "<appId>/<conversationId>", NotificationOutcome.class);

    /** Notification outcomes the webhook sources could not read. */
    public static final TopicSpec PUSH_NOTIFICATION_OUTCOMES_DLT = PUSH_NOTIFICATION_OUTCOMES.deadLetter();

    private Topics() {
    }

    /** Every topic, dead-letter topics included. */
    public static List<TopicSpec> all() {
        return List.of(INTEGRATION_EVENTS, INTEGRATION_EVENTS_DLT, CHAT_MESSAGES, CHAT_MESSAGES_DLT,
                CHAT_CARD_UPDATES, CHAT_CARD_UPDATES_DLT, DIRECTORY_USERS, DIRECTORY_USERS_DLT, MEMBERSHIP_CHANGES, MEMBERSHIP_MEMBERS, MEMBERSHIP_USERS,
                MEMBERSHIP_REQUESTS, MEMBERSHIP_REQUESTS_DLT, AUTH_APPS, AUTH_REVOCATIONS, PRESENCE_CHANGES, PUSH_DELIVERIES, PUSH_DELIVERIES_DLT, PUSH_GATEWAYS,
                PUSH_NOTIFICATION_OUTCOMES, PUSH_NOTIFICATION_OUTCOMES_DLT);
    }

    /** Key of a push.gateways record: the gateway's ordinal. */
    public static String gatewayKey(int gateway) {
        return Integer.toString(gateway);
    }

    /** Key of a revocation of every token of a user (signed out everywhere). */
    public static String userRevocationKey(String appId, String userId) {
        return appId + "/" + userId;
    }

    /** Key of the revocation of one token of a user, by its jti. */
    public static String tokenRevocationKey(String appId, String userId, String tokenId) {
        return appId + "/" + userId + "/" + tokenId;
    }

    /** Key of a presence record: one user of one app. */
    public static String presenceKey(String appId, String userId) {
        return appId + "/" + userId;
    }

    /**
     * Key of every record about one conversation (membership, messages, deliveries): conversation
     * ids are unique within an app, so the app is part of the key.
     */
    public static String conversationKey(String appId, String conversationId) {
        return appId + "/" + conversationId;
    }

    /** Key of a membership.users or membership.requests record: one user of one app. */
    public static String userKey(String appId, String userId) {
        return appId + "/" + userId;
    }

    /** Key of a membership.members record: one user in one conversation of one app. */
    public static String memberKey(String appId, String conversationId, String userId) {
        return conversationKey(appId, conversationId) + "/" + userId;
    }
}
