package io.switchboard.message.ingest;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;

/**
 * The broker did not acknowledge an event in time, or the producer refused it (no topic metadata
 * in time, serialization failed). The event may still arrive later: a client retries with the same
 * eventId, and routing ignores the repeat. Answered with 503 {@code event-log-unavailable} and
 * {@code Retry-After}.
 */
class EventLogUnavailableException extends ApiException {

    EventLogUnavailableException(String detail) {
        super(ErrorCode.EVENT_LOG_UNAVAILABLE, detail);
    }
}
