package io.switchboard.platform.kafka;

import java.time.Instant;
import java.util.Objects;

/**
 * Which dead letters a {@link DeadLetterReplay} selects. A criterion left {@code null} selects
 * every record; the criteria that are set must all match.
 *
 * @param reason the stable reason of the {@value DeadLetters#REASON_HEADER} header, e.g.
 *               {@code unknown-app}; dead letters without that header have the reason
 *               {@value DeadLetterReplay#NO_REASON}
 * @param since  dead-lettered at or after this instant (the timestamp of the dead-letter record)
 * @param until  dead-lettered before this instant
 * @param key    the record key, exactly
 */
public record DeadLetterFilter(String reason, Instant since, Instant until, String key) {

    /** Selects every dead letter. */
    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null);

    /** @throws IllegalArgumentException when {@code since} is not before {@code until} */
    public DeadLetterFilter {
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since (" + since + ") must be before until (" + until + ")");
        }
    }

    boolean matches(String recordReason, Instant deadLetteredAt, String recordKey) {
        return (reason == null || reason.equals(recordReason))
                && (since == null || !deadLetteredAt.isBefore(since))
                && (until == null || deadLetteredAt.isBefore(until))
                && (key == null || Objects.equals(key, recordKey));
    }
}
