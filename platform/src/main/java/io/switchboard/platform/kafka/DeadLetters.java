package io.switchboard.platform.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.kafka.RegistryAvroDeserializer.SchemaRegistryUnavailableException;
import io.switchboard.platform.kafka.RegistryAvroDeserializer.UnknownSchemaException;
import io.switchboard.schemas.TopicSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Switchboard consumer does with a record it cannot process: bad input goes to
 * {@code <topic>.dlt} (same partition) at once, with Spring Kafka's {@code kafka_dlt-*} headers
 * (original topic, partition, offset, exception) and a stable {@value #REASON_HEADER}; the
 * partition moves on. Every dead-lettered record counts in the {@value #METRIC} counter, tagged
 * {@code topic} (the original topic) and {@code reason}.
 *
 * <p>When the service's own infrastructure fails (database unreachable; schema registry
 * unreachable or failing, as {@link RegistryAvroDeserializer} reports it), the record is retried
 * with backoff, without limit, since sending good records to the dead-letter topic because of an
 * outage would lose them. Other failures are retried a few times, then dead-lettered as
 * {@value #PROCESSING_FAILED}.
 * {@link DeadLetterReplay} re-drives dead letters once their cause is fixed.
 */
public final class DeadLetters implements DisposableBean {

    /** Header with the stable reason code of a dead-lettered record. */
    public static final String REASON_HEADER = "switchboard-dlt-reason";
    /** Reason: no deserializer could read the record (not Avro, truncated, not UTF-8 key...). */
    public static final String MALFORMED_RECORD = "malformed-record";
    /** Reason: a Confluent-framed record whose schema id the registry does not know. */
    public static final String UNKNOWN_SCHEMA = "unknown-schema";
    /** Reason: processing kept failing for another reason after the retries. */
    public static final String PROCESSING_FAILED = "processing-failed";
    /** Counter of dead-lettered records ({@code switchboard_kafka_dead_letters_total} in Prometheus). */
    public static final String METRIC = "switchboard.kafka.dead.letters";

    private static final BackOff NO_RETRY = new FixedBackOff(0, 0);

    private final DefaultKafkaProducerFactory<String, byte[]> rawProducers;
    private final DeadLetterPublishingRecoverer publisher;
    private final MeterRegistry meters;

    /**
     * @param rawProducers producers of raw bytes, for records that could not be deserialized
     * @param avroTemplate sends records that were read but not processed, as Avro
     * @param meters       where the {@value #METRIC} counter is registered
     */
    DeadLetters(DefaultKafkaProducerFactory<String, byte[]> rawProducers, KafkaOperations<?, ?> avroTemplate,
                MeterRegistry meters) {
        this.rawProducers = rawProducers;
        KafkaOperations<String, byte[]> rawTemplate = new KafkaTemplate<>(rawProducers);
        this.meters = meters;
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, rawTemplate);
        templates.put(Object.class, avroTemplate);
        this.publisher = new DeadLetterPublishingRecoverer(templates,
                (record, e) -> new TopicPartition(record.topic() + TopicSpec.DEAD_LETTER_SUFFIX, record.partition()));
        publisher.setHeadersFunction(DeadLetters::reasonHeader);
    }

    /**
     * Sends a record to its dead-letter topic with the reason {@code e} gives, and counts it once
     * the dead-letter topic has acknowledged it. For batch listeners, which dead-letter what they
     * cannot process themselves; the error handler does the same for record listeners.
     *
     * @param consumer the listener's consumer (its group goes into the headers), or null
     * @throws org.springframework.kafka.KafkaException when the dead-letter topic did not take it
     */
    public void publish(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception e) {
        publisher.accept(record, consumer, e);
        counter(record.topic(), reasonOf(e)).increment();
    }

    /** The error handler for a listener container of a topic that has a dead-letter topic. */
    public DefaultErrorHandler errorHandler() {
        DefaultErrorHandler handler = new DefaultErrorHandler((ConsumerAwareRecordRecoverer) this::publish,
                new FixedBackOff(500, 3));
        handler.addNotRetryableExceptions(UnprocessableRecordException.class);
        // deserialization failures are made retryable (Spring Kafka's default is fatal) so that a
        // registry outage can be retried; unreadable bytes get no retry from the backoff function
        handler.removeClassification(DeserializationException.class);
        handler.setBackOffFunction((record, e) -> isInfrastructureOutage(e) ? outageBackOff()
                : causedBy(e, DeserializationException.class) != null ? NO_RETRY : null);
        return handler;
    }

    static String reasonOf(Exception e) {
        if (causedBy(e, UnprocessableRecordException.class) instanceof UnprocessableRecordException unprocessable) {
            return unprocessable.reason();
        }
        if (causedBy(e, DeserializationException.class) != null) {
            return causedBy(e, UnknownSchemaException.class) != null ? UNKNOWN_SCHEMA : MALFORMED_RECORD;
        }
        return PROCESSING_FAILED;
    }

    public static boolean isInfrastructureOutage(Exception e) {
        return causedBy(e, TransientDataAccessException.class) != null
                || causedBy(e, DataAccessResourceFailureException.class) != null
                || causedBy(e, RecoverableDataAccessException.class) != null
                || causedBy(e, CannotCreateTransactionException.class) != null
                || causedBy(e, SchemaRegistryUnavailableException.class) != null
                || causedBy(e, ViewNotLoadedException.class) != null;
    }

    /** {@code e} or its first cause of {@code type}, or null. */
    private static Throwable causedBy(Exception e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }

    private Counter counter(String topic, String reason) {
        return Counter.builder(METRIC)
                .description("Records sent to a dead-letter topic, by original topic and reason")
                .tag("topic", topic)
                .tag("reason", reason)
                .register(meters);
    }

    private static RecordHeaders reasonHeader(ConsumerRecord<?, ?> record, Exception e) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(REASON_HEADER, reasonOf(e).getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private static BackOff outageBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        return backOff;
    }

    @Override
    public void destroy() {
        rawProducers.destroy();
    }
}
