package io.switchboard.platform.kafka;

import io.switchboard.platform.outbox.OutboxDeadLetters;
import io.switchboard.schemas.TopicSpec;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code deadletters} actuator endpoint, for operators: what the dead-letter topics hold, and
 * replaying their records with {@link DeadLetterReplay}; likewise the outbox rows that could not be
 * sent ({@link OutboxDeadLetters}, as {@code outbox:<topic>}). It is not exposed by default; exposed over
 * HTTP it answers only on a separate management port (see {@code ResourceServerConfiguration}),
 * never to a token on the application port.
 */
@Endpoint(id = "deadletters")
public class DeadLettersEndpoint {

    /** Prefix of the outbox's dead letters in the counts and in a replay's {@code topic}. */
    static final String OUTBOX = "outbox:";

    private final DeadLetterReplay replay;
    private final OutboxDeadLetters outbox;
    private final List<String> deadLetterTopics;

    /**
     * @param topics the topic catalog; the endpoint covers its dead-letter topics
     * @param outbox the service's outbox dead letters; null for a service without an outbox
     */
    DeadLettersEndpoint(DeadLetterReplay replay, @Nullable OutboxDeadLetters outbox, List<TopicSpec> topics) {
        this.replay = replay;
        this.outbox = outbox;
        this.deadLetterTopics = topics.stream().map(TopicSpec::name)
                .filter(name -> name.endsWith(TopicSpec.DEAD_LETTER_SUFFIX)).toList();
    }

    /** Dead letters per dead-letter topic and reason, read from the topics now. */
    @ReadOperation
    public Map<String, Map<String, Long>> deadLetters() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (String topic : deadLetterTopics) {
            counts.put(topic, replay.replay(topic, DeadLetterFilter.ALL, true).selectedByReason());
        }
        if (outbox != null) {
            outbox.counts().forEach((topic, byReason) -> counts.put(OUTBOX + topic, byReason));
        }
        return counts;
    }

    /**
     * Replays the dead letters of {@code topic} that match every filter given.
     *
     * @param topic  an original topic of the catalog, e.g. {@code integration.events}, or its dead-letter
     *               topic; or {@code outbox:<topic>} for the outbox rows of that topic set aside
     *               ({@code since}, {@code until} and {@code key} do not apply to them)
     * @param reason only dead letters with this reason
     * @param since  only dead letters written at or after this instant (ISO-8601)
     * @param until  only dead letters written before this instant (ISO-8601)
     * @param key    only dead letters with this key
     * @param dryRun {@code true}: count and list, produce nothing
     */
    @WriteOperation
    public ReplayReport replay(String topic, @Nullable String reason, @Nullable Instant since, @Nullable Instant until,
                               @Nullable String key, @Nullable Boolean dryRun) {
        if (topic.startsWith(OUTBOX) && outbox != null) {
            String outboxTopic = topic.substring(OUTBOX.length());
            int moved = outbox.replay(outboxTopic, reason, Boolean.TRUE.equals(dryRun));
            return new ReplayReport(topic, Boolean.TRUE.equals(dryRun), moved,
                    Map.of(reason == null ? "any" : reason, (long) moved), List.of());
        }
        String deadLetterTopic = DeadLetterReplay.deadLetterTopicOf(topic);
        if (!deadLetterTopics.contains(deadLetterTopic)) {
            throw new InvalidEndpointRequestException("No dead-letter topic for " + topic,
                    "topic must be one of " + deadLetterTopics);
        }
        DeadLetterFilter filter;
        try {
            filter = new DeadLetterFilter(reason, since, until, key);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
        }
        return replay.replay(deadLetterTopic, filter, Boolean.TRUE.equals(dryRun));
    }
}
