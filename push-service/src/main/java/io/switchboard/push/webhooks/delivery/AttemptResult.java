package io.switchboard.push.webhooks.delivery;

import java.time.Duration;

/**
 * How one attempt went.
 *
 * @param statusCode   the endpoint's HTTP status, or 0 when it gave none
 * @param detail       why it failed, for the delivery log (never a secret), or null
 * @param responseBody the first {@code max-response-bytes} of a successful response's body
 */
record AttemptResult(Outcome outcome, int statusCode, Duration duration, String detail, byte[] responseBody) {

    /** The outcome of an attempt; only {@link #DELIVERED} is a success. */
    enum Outcome {
        /** The endpoint answered 2xx. */
        DELIVERED("delivered"),
        /** It answered with another status (redirects are not followed). */
        HTTP_ERROR("http-error"),
        /** It did not answer within {@code request-timeout} (or connect within {@code connect-timeout}). */
        TIMEOUT("timeout"),
        /** No connection could be made, or it broke. */
        CONNECTION_FAILED("connection-failed"),
        /** Its host resolved to an address deliveries may not reach: nothing was sent. */
        DESTINATION_REFUSED("destination-refused");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    boolean succeeded() {
        return outcome == Outcome.DELIVERED;
    }
}
