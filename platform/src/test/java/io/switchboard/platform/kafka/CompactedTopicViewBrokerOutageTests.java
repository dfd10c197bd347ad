package io.switchboard.platform.kafka;

import io.switchboard.schemas.TopicSpec;
import io.switchboard.stack.KafkaBroker;
import io.switchboard.stack.Net;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A view against a real broker (a child process) that freezes and that crashes: the view keeps
 * what it holds, reports itself stale while it cannot look at the topic, and resumes where it was
 * once the broker is back, without a restart of its own.
 */
class CompactedTopicViewBrokerOutageTests {

    private static final Duration STALE_AFTER = Duration.ofSeconds(5);
    private static final String TOPIC = "apps";

    @TempDir
    Path data;
    private final int port = Net.freePort();
    private final int controllerPort = Net.freePort();
    private final int upstreamPort = Net.freePort();
    private KafkaBroker broker;
    private CompactedTopicView<String> view;

    @BeforeEach
    void brokerAndView() throws Exception {
        broker = KafkaBroker.start(data, port, controllerPort, upstreamPort, List.of("-Xmx256m"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        view = newView();
        view.start();
        publish("app-1", "active");
        await().atMost(Duration.ofSeconds(30)).until(() -> view.get("app-1").isPresent() && view.isCaughtUp());
    }

    @AfterEach
    void stop() {
        view.stop();
        broker.close();
    }

    @Test
    void aFrozenBrokerMakesTheViewStaleAndItResumesWhenTheBrokerThaws() {
        broker.process().signal("STOP");
        try {
            awaitStale();
            assertThat(view.get("app-1")).as("what the view holds stays").contains("active");
        } finally {
            broker.process().signal("CONT");
        }
        publish("app-1", "suspended");

        await().atMost(Duration.ofSeconds(60)).until(() -> view.get("app-1").equals(java.util.Optional.of("suspended")));
        awaitFresh();
    }

    @Test
    void aCrashedBrokerMakesTheViewStaleAndItResumesWhenTheBrokerIsBack() {
        broker.process().kill();
        awaitStale();

        broker = KafkaBroker.start(data, port, controllerPort, upstreamPort, List.of("-Xmx256m"));
        publish("app-2", "active");

        await().atMost(Duration.ofSeconds(60)).until(() -> view.get("app-2").isPresent());
        assertThat(view.get("app-1")).contains("active");
        awaitFresh();
    }

    @Test
    void aViewThatCannotLoadSaysSoAsAnOutageAndLoadsOnceTheBrokerIsBack() throws Exception {
        broker.process().signal("STOP");
        CompactedTopicView<String> starting = newView();
        try {
            starting.start();
            assertThatThrownBy(() -> starting.awaitCaughtUp(Duration.ofSeconds(2)))
                    .isInstanceOf(ViewNotLoadedException.class)
                    .satisfies(e -> assertThat(DeadLetters.isInfrastructureOutage((Exception) e)).isTrue());
        } finally {
            broker.process().signal("CONT");
        }
        starting.awaitCaughtUp(Duration.ofSeconds(60));
        assertThat(starting.get("app-1")).contains("active");
        starting.stop();
    }

    private CompactedTopicView<String> newView() {
        return new CompactedTopicView<>("apps", new TopicSpec(TOPIC, 2, true, "key", null), Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                // short client timeouts, so that an outage shows within seconds (the defaults: a minute)
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000));
    }

    private void awaitStale() {
        await().atMost(Duration.ofSeconds(40)).until(() -> view.health().staleAt(Instant.now(), STALE_AFTER)
                && view.health().failure() != null);
        assertThat(view.health().dead()).isFalse();
    }

    private void awaitFresh() {
        await().atMost(Duration.ofSeconds(30)).until(() -> !view.health().staleAt(Instant.now(), STALE_AFTER)
                && view.health().failure() == null);
        assertThat(view.health().dead()).isFalse();
    }

    private void publish(String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000))) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish " + key, e);
        }
    }
}
