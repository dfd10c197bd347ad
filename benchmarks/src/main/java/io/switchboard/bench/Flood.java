package io.switchboard.bench;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upstream system gone wild: it produces valid events on its app's own topic, logged in with
 * the app's credential, as fast as its producer lets it, so only the brokers' quota on that
 * credential holds it back. Its events match no rule.
 */
final class Flood implements AutoCloseable {

    private final String appId;
    private final String topic;
    private final String blob;
    private final KafkaProducer<String, Object> producer;
    private final AtomicLong ackedBytes = new AtomicLong();
    private final AtomicLong ackedRecords = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private Flood(String appId, JsonNode credential, String registryApi, int payloadBytes) {
        this.appId = appId;
        this.topic = "integration.events." + appId;
        this.blob = "x".repeat(payloadBytes);
        // big batches and a producer that waits for room instead of failing: it pushes all it can
        this.producer = AvroProducers.withCredential(credential, registryApi, Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.MAX_VALUE,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000));
        this.thread = Thread.ofPlatform().daemon().name("flood-" + appId).start(this::run);
    }

    /** Starts producing at once. */
    static Flood start(String appId, JsonNode credential, String registryApi, int payloadBytes) {
        return new Flood(appId, credential, registryApi, payloadBytes);
    }

    private void run() {
        long sequence = 0;
        while (running) {
            String eventId = "flood-" + sequence++;
            try {
                producer.send(new ProducerRecord<>(topic, eventId, event(eventId)), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    } else {
                        ackedBytes.addAndGet(metadata.serializedValueSize());
                        ackedRecords.incrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                if (running) {
                    throw e;
                }
                return; // closed while waiting for buffer room
            }
        }
    }

    private BusinessEvent event(String eventId) {
        return BusinessEvent.newBuilder().setEventId(eventId).setAppId(appId).setSource("erp")
                .setEventType("inventory.synced").setOccurredAt(Instant.now())
                .setEntity(BusinessEntity.newBuilder().setType("warehouse").setId("W-1").build())
                .setConcerns(List.of()).setPayload(Map.of("blob", blob)).build();
    }

    long ackedBytes() {
        return ackedBytes.get();
    }

    long ackedRecords() {
        return ackedRecords.get();
    }

    long failed() {
        return failed.get();
    }

    /** How long the brokers held the producer's requests back, on average and at most (ms), as its client measured. */
    double[] throttleMillis() {
        double average = 0;
        double max = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : producer.metrics().entrySet()) {
            if (metric.getKey().group().equals("producer-metrics")) {
                if (metric.getKey().name().equals("produce-throttle-time-avg")) {
                    average = value(metric.getValue());
                } else if (metric.getKey().name().equals("produce-throttle-time-max")) {
                    max = value(metric.getValue());
                }
            }
        }
        return new double[]{average, max};
    }

    private static double value(Metric metric) {
        return metric.metricValue() instanceof Double d && !d.isNaN() ? d : 0;
    }

    /** Stops producing; what is still buffered is dropped (a flood's tail is not the point). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        producer.close(Duration.ZERO);
        thread.join(Duration.ofSeconds(30));
    }
}
