package io.switchboard.platform.health;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.support.LoggingProducerListener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the service's Kafka producer still publishes, as part of readiness. It hears the outcome
 * of every send of the service's {@code KafkaTemplate} (it is the template's producer listener,
 * logging failures without the record as Spring's does) and is DOWN when:
 * <ul>
 *   <li>the producer was fenced or can no longer send at all (fenced, epoch or sequence lost, not
 *       authorized): it stays so until a send succeeds again, which a restart brings;</li>
 *   <li>sends have failed for longer than {@code maxFailing} without one succeeding: a broker that
 *       cannot be reached, or a producer whose I/O thread died, which fails every send after
 *       {@code max.block.ms}.</li>
 * </ul>
 * A service that sends nothing stays UP: there is nothing to judge.
 */
public class ProducerHealth extends LoggingProducerListener<Object, Object> implements HealthIndicator {

    private final Duration maxFailing;
    private final Clock clock;
    private volatile Instant lastSuccess;
    /** The first failure since the last success, or null while sends succeed. */
    private volatile Instant failingSince;
    private volatile String lastFailure;
    private volatile boolean unusable;

    public ProducerHealth(Duration maxFailing, Clock clock) {
        this.maxFailing = maxFailing;
        this.clock = clock;
        // a failed send's record can carry what a user wrote, which no log line should
        setIncludeContents(false);
    }

    @Override
    public void onSuccess(ProducerRecord<Object, Object> record, RecordMetadata metadata) {
        lastSuccess = clock.instant();
        failingSince = null;
        unusable = false;
    }

    @Override
    public void onError(ProducerRecord<Object, Object> record, RecordMetadata metadata, Exception exception) {
        super.onError(record, metadata, exception);
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        lastFailure = exception.getClass().getSimpleName();
        unusable |= isUnusable(exception);
    }

    @Override
    public Health health() {
        Instant since = failingSince;
        Health.Builder health = since == null ? Health.up()
                : unusable || Duration.between(since, clock.instant()).compareTo(maxFailing) > 0 ? Health.down()
                : Health.up();
        if (lastSuccess != null) {
            health.withDetail("lastSuccess", lastSuccess.toString());
        }
        if (since != null) {
            health.withDetail("failingSince", since.toString()).withDetail("lastFailure", lastFailure);
        }
        if (unusable) {
            health.withDetail("state", "fenced or unusable: restart the instance");
        }
        return health.build();
    }

    private static boolean isUnusable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof FencedInstanceIdException
                    || cause instanceof InvalidProducerEpochException || cause instanceof OutOfOrderSequenceException
                    || cause instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
    }
}
