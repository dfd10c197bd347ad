package io.switchboard.platform.health;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A periodic check answers probes from its latest result, and says DOWN once its check hangs. */
class PeriodicHealthTests {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    @Test
    void aProbeGetsTheLatestResultOfTheCheckWithItsAge() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PeriodicHealth health = new PeriodicHealth("test", () -> Health.up().withDetail("run", runs.incrementAndGet()).build(),
                INTERVAL, Duration.ofSeconds(10));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
            Health answer = health.health();
            assertThat(answer.getStatus()).isEqualTo(Status.UP);
            assertThat(answer.getDetails()).containsKeys("run", "checkedMillisAgo");
            assertThat(runs.get()).as("a probe does not run the check itself")
                    .isGreaterThanOrEqualTo((Integer) answer.getDetails().get("run"));
        } finally {
            health.destroy();
        }
    }

    @Test
    void outOfServiceUntilTheFirstCheckFinishes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PeriodicHealth health = new PeriodicHealth("test", () -> {
            block(release);
            return Health.up().build();
        }, INTERVAL, Duration.ofSeconds(10));
        try {
            assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> health.health().getStatus().equals(Status.UP));
        } finally {
            health.destroy();
        }
    }

    @Test
    void downOnceTheCheckHangsLongerThanTheMaxAge() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        PeriodicHealth health = new PeriodicHealth("test", () -> {
            if (runs.incrementAndGet() > 1) {
                block(never);
            }
            return Health.up().build();
        }, INTERVAL, Duration.ofMillis(300));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> health.health().getStatus().equals(Status.DOWN));
            assertThat(health.health().getDetails().get("check").toString()).contains("hangs");
        } finally {
            health.destroy();
        }
    }

    @Test
    void aCheckThatThrowsIsDownAndKeepsBeingRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PeriodicHealth health = new PeriodicHealth("test", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("boom");
        }, INTERVAL, Duration.ofSeconds(10));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails()).containsEntry("error", "IllegalStateException");
        } finally {
            health.destroy();
        }
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
