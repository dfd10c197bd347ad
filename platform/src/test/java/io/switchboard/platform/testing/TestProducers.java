package io.switchboard.platform.testing;

import io.switchboard.schemas.RegistrySerde;
import io.switchboard.stack.ApicurioRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Plain Kafka producers, as an upstream system would use them, against the embedded broker. */
public final class TestProducers {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    /** Daemon threads, so that a send stuck for good does not keep the test JVM alive. */
    private static final ExecutorService SENDERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-avro-producer");
        thread.setDaemon(true);
        return thread;
    });

    private TestProducers() {
    }

    /**
     * Sends an Avro value through the registry serde and waits for the broker's acknowledgement.
     * The serde's registry client has no request timeout, and once (one test run in many) a
     * schema lookup of a fresh producer waited forever for an answer the registry never got; so
     * a send that takes longer than {@link #SEND_TIMEOUT} is tried once more with a new producer,
     * and then fails the test instead of hanging the build.
     */
    public static void sendAvro(String topic, String key, Object value) {
        sendAllAvro(topic, key, Collections.singletonList(value));   // a null value (tombstone) too
    }

    /** Sends Avro values in order with one producer, e.g. a burst, and waits until the broker has them all. */
    public static void sendAllAvro(String topic, String key, List<?> values) {
        try {
            sendAvroWithin(topic, key, values);
        } catch (TimeoutException first) {
            System.err.println("Sending to " + topic + " took over " + SEND_TIMEOUT + "; trying once more with a new producer");
            try {
                sendAvroWithin(topic, key, values);
            } catch (TimeoutException second) {
                throw new IllegalStateException("Could not send to " + topic + " within " + SEND_TIMEOUT + ", twice", second);
            }
        }
    }

    private static void sendAvroWithin(String topic, String key, List<?> values) throws TimeoutException {
        Map<String, Object> properties = new HashMap<>(RegistrySerde.producerProperties(ApicurioRegistry.shared().registryApiUrl()));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(properties)) {
                List<Future<RecordMetadata>> sends = values.stream()
                        .map(value -> producer.send(new ProducerRecord<>(topic, key, value))).toList();
                for (Future<RecordMetadata> send : sends) {
                    send.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Could not send to " + topic, e);
            }
        }, SENDERS);
        try {
            sent.get(SEND_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not send to " + topic, e.getCause());
        }
    }

    /** Sends raw bytes, e.g. a record no deserializer can read. */
    public static void sendRaw(String topic, String key, byte[] value) {
        sendRaw(new ProducerRecord<>(topic, key, value));
    }

    /** Sends a tombstone stamped {@code at}, e.g. a deletion made before the test sends it. */
    public static void sendTombstone(String topic, String key, Instant at) {
        sendRaw(new ProducerRecord<String, byte[]>(topic, null, at.toEpochMilli(), key, (byte[]) null));
    }

    private static void sendRaw(ProducerRecord<String, byte[]> record) {
        String topic = record.topic();
        Map<String, Object> properties = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not send to " + topic, e);
        }
    }

    private static String brokers() {
        return System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
    }
}
