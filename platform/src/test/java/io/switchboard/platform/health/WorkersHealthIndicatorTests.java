package io.switchboard.platform.health;

import io.switchboard.platform.BackgroundWorker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class WorkersHealthIndicatorTests {

    private final List<BackgroundWorker> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(BackgroundWorker::stop);
    }

    private BackgroundWorker start(String name, Runnable loop) {
        BackgroundWorker worker = new BackgroundWorker(name) {
            @Override
            protected void work() {
                loop.run();
            }
        };
        worker.start();
        started.add(worker);
        return worker;
    }

    @Test
    void aLoopThatDiedOfAnErrorIsDownWithWhatKilledIt() {
        CountDownLatch forever = new CountDownLatch(1);
        start("outbox-relay", () -> waitFor(forever));
        BackgroundWorker broken = start("view-users", () -> {
            // what a jar replaced under the JVM does to the next class a thread needs
            throw new NoClassDefFoundError("org/apache/kafka/clients/producer/internals/Sender$1");
        });
        WorkersHealthIndicator workers = new WorkersHealthIndicator(started, null);

        await().atMost(Duration.ofSeconds(5)).until(() -> broken.failure().isPresent());
        Health health = workers.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("view-users",
                        "died of java.lang.NoClassDefFoundError: org/apache/kafka/clients/producer/internals/Sender$1")
                .doesNotContainKey("outbox-relay").containsEntry("threads", 2);
        forever.countDown();
    }

    @Test
    void aLoopThatFinishedItsWorkIsNotAFailure() {
        BackgroundWorker once = start("user-state-backfill", () -> { });
        WorkersHealthIndicator workers = new WorkersHealthIndicator(List.of(once), null);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> workers.health().getStatus().equals(Status.UP));
        assertThat(once.failure()).isEmpty();
    }

    @Test
    void aStoppedLoopIsNotAFailureEither() {
        BackgroundWorker failing = start("dispatcher", () -> {
            throw new IllegalStateException("boom");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> failing.failure().isPresent());

        failing.stop();

        assertThat(failing.failure()).isEmpty();
    }

    @Test
    void aListenerContainerThatStoppedAlthoughItShouldRunIsDown() {
        MessageListenerContainer running = container("routing", true);
        MessageListenerContainer stopped = container("deliveries", false);
        KafkaListenerEndpointRegistry registry = mock(KafkaListenerEndpointRegistry.class);
        when(registry.getListenerContainers()).thenReturn(List.of(running, stopped));

        Health health = new WorkersHealthIndicator(List.of(), registry).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("deliveries", "stopped although it should run")
                .doesNotContainKey("routing");
    }

    private static MessageListenerContainer container(String id, boolean inExpectedState) {
        MessageListenerContainer container = mock(MessageListenerContainer.class);
        when(container.getListenerId()).thenReturn(id);
        when(container.isInExpectedState()).thenReturn(inExpectedState);
        return container;
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
