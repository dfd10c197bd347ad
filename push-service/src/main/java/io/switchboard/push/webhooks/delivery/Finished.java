package io.switchboard.push.webhooks.delivery;

import java.time.Instant;

/**
 * An attempt that has run, waiting to be settled.
 *
 * @param openedCircuit whether its failure opened this instance's breaker of the endpoint
 */
record Finished(ClaimedDelivery delivery, Instant startedAt, AttemptResult result, boolean openedCircuit) {
}
