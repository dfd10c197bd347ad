package io.switchboard.platform.health;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness hears whether the producer still publishes: fenced at once, failing only after a while. */
class ProducerHealthTests {

    private static final ProducerRecord<Object, Object> RECORD = new ProducerRecord<>("chat.messages", "k", "v");

    private Instant now = Instant.parse("2026-12-07T10:00:00Z");
    private final ProducerHealth health = new ProducerHealth(Duration.ofSeconds(60), new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void aProducerThatSentNothingOrSucceedsIsUp() {
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        health.onSuccess(RECORD, null);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void sendsFailingLongerThanTheLimitWithoutASuccessMakeItDownUntilOneSucceeds() {
        health.onSuccess(RECORD, null);
        health.onError(RECORD, null, new TimeoutException("Expiring 1 record(s)"));
        now = now.plusSeconds(59);
        health.onError(RECORD, null, new TimeoutException("Expiring 1 record(s)"));
        assertThat(health.health().getStatus()).as("a short broker hiccup").isEqualTo(Status.UP);

        now = now.plusSeconds(2);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsEntry("lastFailure", "TimeoutException")
                .containsEntry("failingSince", "2026-12-07T10:00:00Z");

        health.onSuccess(RECORD, null);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aFencedProducerIsDownAtOnce() {
        health.onError(RECORD, null, new org.apache.kafka.common.KafkaException(new ProducerFencedException("fenced")));
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsKey("state");
    }
}
