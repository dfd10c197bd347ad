package io.switchboard.platform.outbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Tuning of the outbox relay.
 *
 * @param pollInterval how long the relay sleeps when it was not woken by a commit
 * @param batchSize    rows sent per transaction
 * @param sendTimeout  how long a batch may wait for broker acknowledgements before it is retried
 * @param maxBackoff   longest wait between retries after a failure
 * @param maxAttempts  tries of a row that fails because of itself before it is set aside
 * @param maxDelay     readiness goes DOWN when the oldest row has waited longer (the broker or the
 *                     relay's producer is not taking records)
 */
@ConfigurationProperties("switchboard.outbox")
public record OutboxProperties(@DefaultValue("500ms") Duration pollInterval,
                               @DefaultValue("200") int batchSize,
                               @DefaultValue("40s") Duration sendTimeout,
                               @DefaultValue("10s") Duration maxBackoff,
                               @DefaultValue("3") int maxAttempts,
                               @DefaultValue("60s") Duration maxDelay) {
}
