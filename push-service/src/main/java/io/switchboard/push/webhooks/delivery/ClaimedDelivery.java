package io.switchboard.push.webhooks.delivery;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A due delivery this instance has claimed for one attempt, with what the attempt needs.
 *
 * @param attempt      the number of this attempt (1 for the first)
 * @param attemptLimit the attempt after which it fails
 * @param secrets      the endpoint's signing secrets in effect, newest first
 */
record ClaimedDelivery(String deliveryId, String appId, String endpointId, String eventId, String eventType,
                       byte[] body, int attempt, int attemptLimit, Instant createdAt, URI url, List<String> secrets) {
}
