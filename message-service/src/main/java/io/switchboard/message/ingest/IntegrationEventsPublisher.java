package io.switchboard.message.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * Publishes posted events on {@code integration.events} with the service's Avro producer (registry
 * serde, Confluent wire format, {@code acks=all}, idempotent), keyed by eventId, exactly as an
 * upstream Kafka producer would. An event counts as accepted only once the broker acknowledged it;
 * nothing is stored here, so there is nothing to keep in step with the topic.
 */
@Component
class IntegrationEventsPublisher {

    private static final Logger log = LoggerFactory.getLogger(IntegrationEventsPublisher.class);

    /** Where an accepted event is: Kafka's own coordinates, for the caller's logs. */
    record PublishedEvent(String eventId, String topic, int partition, long offset) {
    }

    /** Per event: where it was published, or why it was not. */
    record Outcome(PublishedEvent published, EventLogUnavailableException failure) {
    }

    private final KafkaTemplate<String, Object> kafka;
    private final Duration publishTimeout;
    private final Counter published;
    private final Counter unavailable;

    IntegrationEventsPublisher(KafkaTemplate<String, Object> kafka, IngestProperties properties, MeterRegistry meters) {
        this.kafka = kafka;
        this.publishTimeout = properties.publishTimeout();
        this.published = outcomeCounter(meters, "published");
        this.unavailable = outcomeCounter(meters, "unavailable");
    }

    /**
     * Publishes one event and waits for its acknowledgement.
     *
     * @throws EventLogUnavailableException when it is not acknowledged within the publish timeout
     */
    PublishedEvent publish(BusinessEvent event) {
        Outcome outcome = publishAll(List.of(event)).getFirst();
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.published();
    }

    /**
     * Hands every event to the producer in order, then waits for the acknowledgements, all within
     * one publish timeout. Events with one key keep their order; each gets its own outcome.
     */
    List<Outcome> publishAll(List<BusinessEvent> events) {
        long deadline = System.nanoTime() + publishTimeout.toNanos();
        List<CompletableFuture<SendResult<String, Object>>> acknowledgements = events.stream().map(this::send).toList();
        return IntStream.range(0, events.size())
                .mapToObj(i -> await(events.get(i).getEventId(), acknowledgements.get(i), deadline))
                .toList();
    }

    private CompletableFuture<SendResult<String, Object>> send(BusinessEvent event) {
        try {
            return kafka.send(Topics.INTEGRATION_EVENTS.name(), event.getEventId(), event);
        } catch (RuntimeException e) {
            // a failing serializer or a closed producer throws here instead of failing the future
            return CompletableFuture.failedFuture(e);
        }
    }

    private Outcome await(String eventId, CompletableFuture<SendResult<String, Object>> acknowledgement, long deadline) {
        try {
            RecordMetadata metadata = acknowledgement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .getRecordMetadata();
            published.increment();
            return new Outcome(new PublishedEvent(eventId, metadata.topic(), metadata.partition(), metadata.offset()), null);
        } catch (TimeoutException e) {
            return failure("The broker did not acknowledge the event within " + publishTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            return failure("The event could not be published", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure("Interrupted while waiting for the broker", e);
        }
    }

    private Outcome failure(String detail, Throwable cause) {
        unavailable.increment();
        log.warn("{} on {}: {}", detail, Topics.INTEGRATION_EVENTS.name(), cause.toString());
        return new Outcome(null, new EventLogUnavailableException(detail + "; retry with the same eventId"));
    }

    private static Counter outcomeCounter(MeterRegistry meters, String outcome) {
        return Counter.builder("switchboard.ingest.events").tag("outcome", outcome)
                .description("Events posted over HTTP, by publishing outcome").register(meters);
    }
}
