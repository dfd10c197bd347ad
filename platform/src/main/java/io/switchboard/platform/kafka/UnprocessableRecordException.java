package io.switchboard.platform.kafka;

/**
 * A record that can never be processed as it is (unknown target, invalid content). It is not
 * retried: it goes straight to the dead-letter topic with {@link #reason()} in the
 * {@value DeadLetters#REASON_HEADER} header, and the partition moves on.
 */
public class UnprocessableRecordException extends RuntimeException {

    private final String reason;

    /**
     * @param reason stable, dash-separated code, e.g. {@code unknown-conversation}
     * @param detail human-readable explanation
     */
    public UnprocessableRecordException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
