package io.switchboard.platform.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * A poll's records as a batch listener handles them, with the same guarantees the platform's error
 * handler gives record listeners: a record that cannot be read (not deserializable, no value) or
 * that the listener finds unprocessable goes to {@code <topic>.dlt} with its reason, and the
 * partition moves on; a failure that is not the record's fault (an outage of the registry or the
 * database, a bug) stops the batch at the first record not done, and the error handler commits
 * the records before it and retries from there with the platform's backoff.
 *
 * <p>Use: {@link #readable()} gives the records to process, in order; the listener marks
 * {@link #deadLetter} or {@link #stopAt} as it goes, then calls {@link #finish}.
 *
 * @param <V> the records' value type
 */
public final class PollBatch<V> {

    private static final LogAccessor LOG = new LogAccessor(PollBatch.class);

    private final List<ConsumerRecord<String, V>> records;
    private final Exception[] deadLetterReasons;
    private final List<Integer> readable = new ArrayList<>();
    private int stop;
    private Exception stopCause;

    public PollBatch(List<ConsumerRecord<String, V>> records) {
        this.records = records;
        this.deadLetterReasons = new Exception[records.size()];
        this.stop = records.size();
        for (int i = 0; i < records.size(); i++) {
            Exception unreadable = unreadable(records.get(i));
            if (unreadable == null) {
                readable.add(i);
            } else if (DeadLetters.isInfrastructureOutage(unreadable)) {
                stopAt(i, unreadable);   // the registry is unavailable: this record and the rest wait
                break;
            } else {
                deadLetterReasons[i] = unreadable;
            }
        }
    }

    /** Indexes of the records to process (read, with a value, before any stop), in order. */
    public List<Integer> readable() {
        return List.copyOf(readable);
    }

    public ConsumerRecord<String, V> record(int index) {
        return records.get(index);
    }

    /** Marks a record for the dead-letter topic, with the reason {@code e} gives ({@link DeadLetters#reasonOf}). */
    public void deadLetter(int index, Exception reason) {
        deadLetterReasons[index] = reason;
    }

    /** Marks the first record not done, and why; it and the records after it are redelivered. */
    public void stopAt(int index, Exception cause) {
        if (index < stop) {
            stop = index;
            stopCause = cause;
        }
    }

    /**
     * Dead-letters the marked records before the stop, then throws the stop, if any, for the error
     * handler.
     *
     * @param consumer the listener's consumer (its group goes into the dead letters' headers)
     * @throws BatchListenerFailedException naming the first record not done
     */
    public void finish(DeadLetters deadLetters, Consumer<?, ?> consumer) {
        for (int i = 0; i < stop; i++) {
            if (deadLetterReasons[i] != null) {
                try {
                    deadLetters.publish(records.get(i), consumer, deadLetterReasons[i]);
                } catch (RuntimeException e) {
                    stopAt(i, e);
                    break;
                }
            }
        }
        if (stopCause != null) {
            ConsumerRecord<?, ?> record = records.get(stop);
            throw new BatchListenerFailedException("Stopped at " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + ": " + stopCause.getMessage(), stopCause, stop);
        }
    }

    /** Why a record cannot be processed before it is even read: not deserializable, or no value. */
    private static Exception unreadable(ConsumerRecord<String, ?> record) {
        DeserializationException value = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
        if (value != null) {
            return value;
        }
        DeserializationException key = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER, LOG);
        if (key != null) {
            return key;
        }
        return record.value() == null ? new UnprocessableRecordException("missing-value", "The record has no value") : null;
    }
}
