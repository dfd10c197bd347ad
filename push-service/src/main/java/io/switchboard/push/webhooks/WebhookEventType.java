package io.switchboard.push.webhooks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What an app can subscribe an endpoint to; {@link #wireName()} is the name on the wire and in the API. */
public enum WebhookEventType {

    /** A message was sent in a conversation the endpoint's bot user is a member of. */
    MESSAGE_CREATED("message.created"),
    /** A message there was edited. */
    MESSAGE_EDITED("message.edited"),
    /** A message there was recalled (withdrawn for everyone). */
    MESSAGE_RECALLED("message.recalled"),
    /** A user clicked a callback button of a card. */
    CARD_ACTION("card.action"),
    /** A member joined, left or changed role or mute in one of the app's conversations. */
    MEMBERSHIP_CHANGED("membership.changed"),
    /** A user of the app came online (first device) or went offline (last device). */
    PRESENCE_CHANGED("presence.changed"),
    /** A routed notification reached at least one live device of a recipient. */
    NOTIFICATION_DELIVERED("notification.delivered"),
    /** A routed notification reached no device of a recipient (offline, or the connection was lost). */
    NOTIFICATION_FAILED("notification.failed"),
    /** Another endpoint of the app was disabled because its deliveries kept failing. */
    ENDPOINT_DISABLED("webhook.endpoint.disabled"),
    /** A test event the app asked for ({@code POST .../ping}); not subscribable, sent to the one endpoint. */
    PING("webhook.ping");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether an endpoint may subscribe to it (a ping goes only where the app sends it). */
    public boolean isSubscribable() {
        return this != PING;
    }

    public boolean isMessageEvent() {
        return this == MESSAGE_CREATED || this == MESSAGE_EDITED || this == MESSAGE_RECALLED;
    }

    public static Optional<WebhookEventType> fromWireName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wanted)).findFirst();
    }
}
