package io.switchboard.platform.kafka;

import java.time.Duration;

/**
 * How long one request, or one poll of a consumer, may wait in all for views to learn of keys they
 * do not know yet ({@link CompactedTopicView#awaitKeys}). A key created a moment ago by another
 * service may still be crossing Kafka, so a lookup waits a little before calling it unknown; but
 * the waits of one request share this budget instead of adding up, so a request naming a hundred
 * unknown ids costs about one wait, not a hundred. Once it has run out, lookups answer from what
 * the views hold at once: what was unknown after the wait stays unknown for the rest of the request.
 */
public final class FreshnessBudget {

    private final long deadlineNanos;

    private FreshnessBudget(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** A budget of {@code wait} from now. */
    public static FreshnessBudget of(Duration wait) {
        return new FreshnessBudget(System.nanoTime() + wait.toNanos());
    }

    /** What is left, zero once it has run out. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    public boolean exhausted() {
        return deadlineNanos - System.nanoTime() <= 0;
    }
}
