package io.switchboard.push.webhooks.endpoints;

import io.switchboard.push.webhooks.WebhookEventType;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

/**
 * A webhook endpoint of an app: where its events go and which ones.
 *
 * @param botUserId      message events are delivered for conversations this user is a member of
 * @param disabledReason {@code null} while enabled; {@link DisabledReason#APP} or {@link DisabledReason#FAILING}
 * @param failingSince   since when every attempt has failed, or null
 */
public record Endpoint(String endpointId, String appId, URI url, String description, Set<WebhookEventType> eventTypes,
                       String botUserId, boolean enabled, DisabledReason disabledReason, Instant disabledAt,
                       Instant failingSince, Instant createdAt, Instant updatedAt, long version) {

    /** Why an endpoint receives nothing. */
    public enum DisabledReason {
        /** The app disabled it. */
        APP,
        /** Its deliveries kept failing for {@code disable-after}. */
        FAILING
    }

    public boolean subscribesTo(WebhookEventType type) {
        return enabled && eventTypes.contains(type);
    }
}
