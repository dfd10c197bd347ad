package io.switchboard.push.webhooks.delivery;

import java.time.Instant;

/** An attempt that has run, waiting to be settled. */
record Finished(ClaimedDelivery delivery, Instant startedAt, AttemptResult result) {
}
