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
 * and the other services' views of it grow old. Each {@link #health()} reads the tables (over the
 * health checks' own connection, run periodically); the metrics show the latest reading.
 */
public class OutboxBacklog implements HealthIndicator {

    private final JdbcClient jdbc;
    private final Duration maxDelay;
    private volatile Snapshot latest;

    /** @param jdbc the health checks' own connection, so a busy pool does not delay the reading */
    OutboxBacklog(JdbcClient jdbc, Duration maxDelay) {
        this.jdbc = jdbc;
        this.maxDelay = maxDelay;
    }

    /**
     * @param oldest how long the oldest row has waited; zero when none waits
     */
    public record Snapshot(long rows, Duration oldest, long deadLetters, Instant takenAt) {
    }

    /** The latest reading, empty (no rows, nothing waited) before the first. */
    public Snapshot latest() {
        Snapshot current = latest;
        return current == null ? new Snapshot(0, Duration.ZERO, 0, Instant.EPOCH) : current;
    }

    private Snapshot read() {
        Instant now = Instant.now();
        Snapshot current = jdbc.sql("""
                        SELECT (SELECT count(*) FROM outbox), (SELECT min(created_at) FROM outbox),
                               (SELECT count(*) FROM outbox_dead_letters)""")
                .query((rs, n) -> {
                    OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
                    return new Snapshot(rs.getLong(1), oldest == null ? Duration.ZERO
                            : Duration.between(oldest.toInstant(), now), rs.getLong(3), now);
                })
                .single();
        latest = current;
        return current;
    }

    @Override
    public Health health() {
        Snapshot backlog = read();
        Health.Builder health = backlog.oldest().compareTo(maxDelay) > 0 ? Health.down() : Health.up();
        return health.withDetail("rows", backlog.rows())
                .withDetail("oldestSeconds", backlog.oldest().toSeconds())
                .withDetail("deadLetters", backlog.deadLetters())
                .build();
    }
}
