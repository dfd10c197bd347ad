package io.switchboard.platform.outbox;

/** A batch of the outbox was not (all) sent: the relay pauses and tries again. */
class OutboxSendException extends RuntimeException {

    OutboxSendException(String message) {
        super(message);
    }

    OutboxSendException(String message, Throwable cause) {
        super(message, cause);
    }
}
