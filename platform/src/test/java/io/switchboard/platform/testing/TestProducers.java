package io.switchboard.platform.testing;

import io.switchboard.schemas.RegistrySerde;
import io.switchboard.stack.ApicurioRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Plain Kafka producers, as an upstream system would use them, against the embedded broker. */
public final class TestProducers {

    private TestProducers() {
    }

    /** Sends an Avro value through the registry serde and waits for the broker's acknowledgement. */
    public static void sendAvro(String topic, String key, Object value) {
        Map<String, Object> properties = new HashMap<>(RegistrySerde.producerProperties(ApicurioRegistry.shared().registryApiUrl()));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(properties)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not send to " + topic, e);
        }
    }

    /** Sends raw bytes, e.g. a record no deserializer can read. */
    public static void sendRaw(String topic, String key, byte[] value) {
        Map<String, Object> properties = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not send to " + topic, e);
        }
    }

    private static String brokers() {
        return System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
    }
}
