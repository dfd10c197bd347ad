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

    /**
     * The topics of one app's upstream producers, written with the app's Kafka credentials: those
     * may write these topics and nothing else, so the broker, not the record, says whose a record
     * is. Created with the app's first credential, each with its dead-letter topic. Records look
     * as on the shared topics; one that names another app is dead-lettered ({@code tenant-mismatch}).
     *
     * @param integrationEvents {@code integration.events.<appId>}: business events, routed by
     *                          message-service
     * @param directoryUsers    {@code directory.users.<appId>} (compacted): users as the app's
     *                          directory publishes them, applied by membership-service
     */
    public record AppTopics(String appId, TopicSpec integrationEvents, TopicSpec directoryUsers) {

        /** The topics the app's producers write. */
        public List<TopicSpec> written() {
            return List.of(integrationEvents, directoryUsers);
        }

        /** Every topic of the app, dead-letter topics included. */
        public List<TopicSpec> all() {
            return List.of(integrationEvents, integrationEvents.deadLetter(), directoryUsers, directoryUsers.deadLetter());
        }
    }

    /** What an app id looks like in a topic name: 32 lower-case hex digits. */
    private static final String APP_ID = "[0-9a-f]{32}";

    /**
     * Matches {@code integration.events} and every app's {@code integration.events.<appId>}, and
     * no dead-letter topic.
     */
    public static final String INTEGRATION_EVENTS_PATTERN = "integration\\.events(\\." + APP_ID + ")?";

    /** Matches {@code directory.users} and every app's {@code directory.users.<appId>}, and no dead-letter topic. */
    public static final String DIRECTORY_USERS_PATTERN = "directory\\.users(\\." + APP_ID + ")?";

    /** The topics an app's upstream producers write, with {@code partitions} each. */
    public static AppTopics ofApp(String appId, int partitions) {
        if (!appId.matches(APP_ID)) {
            throw new IllegalArgumentException("Not an app id: " + appId);
        }
        return new AppTopics(appId,
                new TopicSpec(INTEGRATION_EVENTS.name() + "." + appId, partitions, false, "eventId", BusinessEvent.class),
                new TopicSpec(DIRECTORY_USERS.name() + "." + appId, partitions, true, "<appId>/<userId>",
                        DirectoryUser.class));
    }

    /**
     * The app whose own topic {@code topic} is ({@code integration.events.<appId>},
     * {@code directory.users.<appId>}), or null for a shared topic.
     */
    public static String appOfTopic(String topic) {
        int dot = topic.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String family = topic.substring(0, dot);
        String appId = topic.substring(dot + 1);
        boolean appTopic = (family.equals(INTEGRATION_EVENTS.name()) || family.equals(DIRECTORY_USERS.name()))
                && appId.matches(APP_ID);
        return appTopic ? appId : null;
    }

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
