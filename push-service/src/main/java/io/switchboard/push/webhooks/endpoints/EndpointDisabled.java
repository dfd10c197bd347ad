package io.switchboard.push.webhooks.endpoints;

/**
 * An endpoint stopped receiving deliveries (the app disabled or deleted it): published inside the
 * transaction that changed it, so its pending deliveries are settled in the same transaction.
 *
 * @param deleted true when the endpoint is gone (its deliveries with it)
 */
public record EndpointDisabled(String appId, String endpointId, boolean deleted) {
}
