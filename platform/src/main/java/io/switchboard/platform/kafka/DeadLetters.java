package io.switchboard.platform.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
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
 * partition moves on. When the service's own infrastructure fails (database unreachable), the
 * record is retried with backoff, without limit, since sending good records to the dead-letter
 * topic because of an outage would lose them. Other failures are retried a few times, then
 * dead-lettered as {@code processing-failed}.
 */
public final class DeadLetters implements DisposableBean {

    /** Header with the stable reason code of a dead-lettered record. */
    public static final String REASON_HEADER = "switchboard-dlt-reason";

    private final DefaultKafkaProducerFactory<String, byte[]> rawProducers;
    private final KafkaOperations<String, byte[]> rawTemplate;
    private final KafkaOperations<?, ?> avroTemplate;

    /**
     * @param rawProducers producers of raw bytes, for records that could not be deserialized
     * @param avroTemplate sends records that were read but not processed, as Avro
     */
    DeadLetters(DefaultKafkaProducerFactory<String, byte[]> rawProducers, KafkaOperations<?, ?> avroTemplate) {
        this.rawProducers = rawProducers;
        this.rawTemplate = new KafkaTemplate<>(rawProducers);
        this.avroTemplate = avroTemplate;
    }

    /** The error handler for a listener container of a topic that has a dead-letter topic. */
    public DefaultErrorHandler errorHandler() {
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, rawTemplate);
        templates.put(Object.class, avroTemplate);
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(templates,
                (record, e) -> new TopicPartition(record.topic() + io.switchboard.schemas.TopicSpec.DEAD_LETTER_SUFFIX,
                        record.partition()));
        recoverer.setHeadersFunction(DeadLetters::reasonHeader);
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, new FixedBackOff(500, 3));
        handler.addNotRetryableExceptions(UnprocessableRecordException.class, DeserializationException.class);
        handler.setBackOffFunction((record, e) -> isInfrastructureOutage(e) ? outageBackOff() : null);
        return handler;
    }

    static String reasonOf(Exception e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof UnprocessableRecordException unprocessable) {
                return unprocessable.reason();
            }
            if (cause instanceof DeserializationException) {
                return "malformed-record";
            }
            cause = cause.getCause();
        }
        return "processing-failed";
    }

    private static RecordHeaders reasonHeader(ConsumerRecord<?, ?> record, Exception e) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(REASON_HEADER, reasonOf(e).getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private static boolean isInfrastructureOutage(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransientDataAccessException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof RecoverableDataAccessException || cause instanceof CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
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
