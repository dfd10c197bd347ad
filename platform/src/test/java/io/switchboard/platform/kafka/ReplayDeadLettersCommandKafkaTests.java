package io.switchboard.platform.kafka;

import io.switchboard.schemas.TopicSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.switchboard.platform.kafka.DeadLetterTestKit.readAll;
import static io.switchboard.platform.kafka.DeadLetterTestKit.send;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./switchboard replay-dead-letters} against a real broker. */
@EmbeddedKafka(partitions = 1)
class ReplayDeadLettersCommandKafkaTests {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String topic;

    @BeforeEach
    void threeDeadLetters(EmbeddedKafkaBroker broker) {
        topic = DeadLetterTestKit.newTopicWithDeadLetters(broker, "events", 1);
        deadLetter("e1", "unknown-app");
        deadLetter("e2", "unknown-app");
        deadLetter("e3", "template-error");
    }

    @Test
    void replaysTheChosenReasonAndPrintsWhatItReplayedPerReason() {
        int status = run("--topic", topic, "--reason", "unknown-app", "--bootstrap-servers", DeadLetterTestKit.brokers());

        assertThat(status).isZero();
        assertThat(output()).contains(topic + ".dlt: replayed 2 of 3 dead letters")
                .containsPattern("unknown-app +2");
        assertThat(readAll(topic)).extracting(record -> record.key()).containsExactly("e1", "e2");
    }

    @Test
    void dryRunListsWhatItWouldReplayAndReplaysNothing() {
        int status = run("--topic", topic + ".dlt", "--dry-run", "--until", "2999-01-01T00:00:00Z");

        assertThat(status).isZero();
        assertThat(output()).contains(topic + ".dlt: would replay 3 of 3 dead letters")
                .containsPattern("template-error +1")
                .contains(topic + ".dlt/0/2  key=e3  reason=template-error");
        assertThat(readAll(topic)).isEmpty();
    }

    @Test
    void wrongArgumentsPrintTheUsage() {
        assertThat(run("--reason", "unknown-app")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--topic is required").contains("usage:");
        assertThat(run("--topic", topic, "--since", "yesterday")).isEqualTo(2);
        assertThat(run("--topic", topic, "--since", "2025-02-01T00:00:00Z", "--until", "2025-01-01T00:00:00Z")).isEqualTo(2);
    }

    /** Runs the command; the broker comes from the environment unless an argument names it. */
    private int run(String... args) {
        return ReplayDeadLettersCommand.run(args, Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", DeadLetterTestKit.brokers()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private void deadLetter(String key, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        send(new ProducerRecord<>(topic + TopicSpec.DEAD_LETTER_SUFFIX, 0, key, key.getBytes(StandardCharsets.UTF_8), headers));
    }
}
