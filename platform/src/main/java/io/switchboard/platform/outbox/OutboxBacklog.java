package io.switchboard.platform.outbox;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * What waits in the outbox: rows, the age of the oldest, and rows set aside. Part of readiness:
 * DOWN when the oldest row has waited longer than {@code max-delay}, which means the service's
 * changes are not being published (the broker unreachable, the relay's producer dead or fenced)
 * and the other services' views of it grow old. Read at most every few seconds, however often it
 * is asked (health probes, metrics scrapes).
 */
public class OutboxBacklog implements HealthIndicator {

    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final OutboxDeadLetters deadLetters;
    private final Duration maxDelay;
    private volatile Snapshot latest;

    OutboxBacklog(JdbcClient jdbc, OutboxDeadLetters deadLetters, Duration maxDelay) {
        this.jdbc = jdbc;
        this.deadLetters = deadLetters;
        this.maxDelay = maxDelay;
    }

    /**
     * @param oldest how long the oldest row has waited; zero when none waits
     */
    public record Snapshot(long rows, Duration oldest, long deadLetters, Instant takenAt) {
    }

    public Snapshot snapshot() {
        Snapshot current = latest;
        Instant now = Instant.now();
        if (current == null || current.takenAt().plus(REFRESH).isBefore(now)) {
            current = jdbc.sql("SELECT count(*), min(created_at) FROM outbox")
                    .query((rs, n) -> {
                        OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
                        return new Snapshot(rs.getLong(1), oldest == null ? Duration.ZERO
                                : Duration.between(oldest.toInstant(), now), deadLetters.total(), now);
                    })
                    .single();
            latest = current;
        }
        return current;
    }

    @Override
    public Health health() {
        Snapshot backlog = snapshot();
        Health.Builder health = backlog.oldest().compareTo(maxDelay) > 0 ? Health.down() : Health.up();
        return health.withDetail("rows", backlog.rows())
                .withDetail("oldestSeconds", backlog.oldest().toSeconds())
                .withDetail("deadLetters", backlog.deadLetters())
                .build();
    }
}
