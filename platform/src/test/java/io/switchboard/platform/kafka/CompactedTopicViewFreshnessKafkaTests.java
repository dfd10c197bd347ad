package io.switchboard.platform.kafka;

import io.switchboard.schemas.TopicSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Waiting for keys a view does not know yet, on a real broker: many unknown keys cost one wait
 * together, a key that arrives during the wait ends it at once, and many callers waiting at once
 * neither slow the view down nor each other.
 */
@EmbeddedKafka(partitions = 1)
class CompactedTopicViewFreshnessKafkaTests {

    private static final Duration WAIT = Duration.ofSeconds(2);

    private CompactedTopicView<String> view;
    private KafkaProducer<String, String> producer;
    private String topic;

    @BeforeEach
    void startView(EmbeddedKafkaBroker broker) {
        topic = "view-" + UUID.randomUUID();
        broker.addTopics(new NewTopic(topic, 3, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        view = new CompactedTopicView<>("test", new TopicSpec(topic, 3, true, "key", null), Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        view.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        publish("known", "here");
        await().atMost(Duration.ofSeconds(30)).until(() -> view.get("known").isPresent());
    }

    @AfterEach
    void stop() {
        view.stop();
        producer.close();
    }

    @Test
    void aHundredUnknownKeysCostOneWaitTogether() {
        List<String> keys = new ArrayList<>(IntStream.range(0, 100).mapToObj(i -> "unknown-" + i).toList());
        keys.add("known");

        long started = System.nanoTime();
        Map<String, String> found = view.awaitKeys(keys, FreshnessBudget.of(WAIT));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(found).containsOnlyKeys("known");
        assertThat(took).isBetween(WAIT, WAIT.multipliedBy(2));
    }

    @Test
    void aKeyThatArrivesDuringTheWaitEndsItAtOnce() {
        CompletableFuture<Map<String, String>> waiting = CompletableFuture.supplyAsync(
                () -> view.awaitKeys(List.of("late"), FreshnessBudget.of(Duration.ofSeconds(20))));
        publish("late", "arrived");

        Map<String, String> found = waiting.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(found).containsEntry("late", "arrived");
    }

    @Test
    void aSpentBudgetAnswersAtOnceWithWhatTheViewHolds() {
        FreshnessBudget budget = FreshnessBudget.of(Duration.ofMillis(200));
        view.awaitKeys(List.of("unknown-1"), budget);

        long started = System.nanoTime();
        assertThat(view.awaitKey("unknown-2", budget)).isEmpty();
        assertThat(view.awaitKey("known", budget)).contains("here");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void fiftyCallersWaitingForUnknownKeysDoNotDelayAKeyAnotherCallerWaitsFor() throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Map<String, String>>> stalled = IntStream.range(0, 50)
                    .mapToObj(n -> CompletableFuture.supplyAsync(() -> view.awaitKeys(
                            IntStream.range(0, 100).mapToObj(i -> "never-" + n + "-" + i).toList(),
                            FreshnessBudget.of(Duration.ofSeconds(5))), callers))
                    .toList();

            long started = System.nanoTime();
            CompletableFuture<Map<String, String>> other = CompletableFuture.supplyAsync(
                    () -> view.awaitKeys(List.of("other-tenant"), FreshnessBudget.of(Duration.ofSeconds(5))), callers);
            publish("other-tenant", "served");

            assertThat(other.get()).containsEntry("other-tenant", "served");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            stalled.forEach(wait -> assertThat(wait.join()).isEmpty());
        }
    }

    private void publish(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
