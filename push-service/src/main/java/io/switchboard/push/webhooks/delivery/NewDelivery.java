package io.switchboard.push.webhooks.delivery;

import io.switchboard.push.webhooks.WebhookEventType;

/** A delivery to record: one event for one endpoint, with the JSON body every attempt sends. */
public record NewDelivery(String appId, String endpointId, String eventId, WebhookEventType eventType, byte[] body) {
}
