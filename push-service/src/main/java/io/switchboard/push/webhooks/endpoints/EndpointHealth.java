package io.switchboard.push.webhooks.endpoints;

import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/**
 * How an endpoint's deliveries are going, from what every instance shares in PostgreSQL (the
 * attempts they settled and the queue), not from one instance's circuit breaker.
 *
 * @param state               {@code healthy} (the latest attempt succeeded, or none was made),
 *                            {@code failing} (attempts have been failing since {@code failingSince}),
 *                            {@code open-circuit} (an instance's breaker opened: no instance attempts it
 *                            before {@code nextAttemptAt}) or {@code disabled} (by the app, or for failing)
 * @param consecutiveFailures failed attempts since the last successful one
 * @param failingSince        since when every attempt has failed (the clock of automatic disabling), or null
 * @param lastAttemptAt       when the latest attempt started, or null
 * @param lastError           the latest failed attempt (kept after the endpoint recovers), or null
 * @param pendingDeliveries   deliveries waiting for an attempt (or in one)
 * @param nextAttemptAt       when the next attempt is due: the earliest pending delivery's time, not
 *                            before an open circuit closes, now if that is past; null when nothing is pending
 */
public record EndpointHealth(@Schema(allowableValues = {"healthy", "failing", "open-circuit", "disabled"}) String state,
                             int consecutiveFailures, Instant failingSince, Instant lastAttemptAt,
                             LastError lastError, int pendingDeliveries, Instant nextAttemptAt) {

    /** A failed attempt: when it started, its outcome ({@code http-error}, {@code timeout}, ...), HTTP status and why. */
    public record LastError(Instant at, String outcome, Integer statusCode, String detail) {
    }

    static EndpointHealth of(boolean enabled, int consecutiveFailures, Instant failingSince, Instant lastAttemptAt,
                             LastError lastError, Instant circuitOpenUntil, int pending, Instant earliestDue, Instant now) {
        boolean circuitOpen = circuitOpenUntil != null && circuitOpenUntil.isAfter(now);
        String state = !enabled ? "disabled"
                : circuitOpen ? "open-circuit"
                : consecutiveFailures > 0 || failingSince != null ? "failing"
                : "healthy";
        Instant next = null;
        if (enabled && pending > 0) {
            next = earliestDue;
            if (circuitOpen && circuitOpenUntil.isAfter(next)) {
                next = circuitOpenUntil;
            }
            if (next.isBefore(now)) {
                next = now;
            }
        }
        return new EndpointHealth(state, consecutiveFailures, failingSince, lastAttemptAt, lastError, pending, next);
    }
}
