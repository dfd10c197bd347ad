package io.switchboard.platform.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a {@link DeadLetterReplay} did with one dead-letter topic or, in a dry run, would do.
 *
 * @param deadLetterTopic  the topic read
 * @param dryRun           {@code true}: nothing was produced, the counts say what would be
 * @param scanned          dead letters read, from the start point up to the end offsets captured
 *                         when the replay began
 * @param selectedByReason dead letters the filter selected, by reason: each was produced again to
 *                         its original topic, unless this is a dry run
 * @param selected         the first {@value DeadLetterReplay#LISTED_LIMIT} selected dead letters
 */
public record ReplayReport(String deadLetterTopic, boolean dryRun, long scanned, Map<String, Long> selectedByReason,
                           List<Entry> selected) {

    public ReplayReport {
        selectedByReason = Map.copyOf(selectedByReason);
        selected = List.copyOf(selected);
    }

    /** How many dead letters the filter selected, whatever their reason. */
    public long selectedTotal() {
        return selectedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One selected dead letter.
     *
     * @param source         {@code <dead-letter topic>/<partition>/<offset>}, also the value of the
     *                       {@value DeadLetterReplay#REPLAYED_FROM_HEADER} header of its replay
     * @param originalTopic  where it was (or would be) produced again
     * @param key            its key
     * @param reason         why it was dead-lettered
     * @param deadLetteredAt the timestamp of the dead-letter record
     */
    public record Entry(String source, String originalTopic, String key, String reason, Instant deadLetteredAt) {
    }
}
