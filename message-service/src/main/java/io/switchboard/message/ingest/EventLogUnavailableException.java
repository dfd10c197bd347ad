package io.switchboard.message.ingest;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;

/**
 * The broker did not acknowledge an event in time, or the event could not be handed to the
 * producer (no topic metadata, registry unreachable). The event may still arrive later: a client
 * retries with the same eventId, and routing ignores the repeat. Answered with 503
 * {@code event-log-unavailable} and {@code Retry-After}.
 */
class EventLogUnavailableException extends ApiException {

    EventLogUnavailableException(String detail) {
        super(ErrorCode.EVENT_LOG_UNAVAILABLE, detail);
    }
}
