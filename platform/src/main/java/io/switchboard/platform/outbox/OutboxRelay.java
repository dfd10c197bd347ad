package io.switchboard.platform.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.BackgroundWorker;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes outbox rows to Kafka in id order and deletes them once the broker acknowledged them.
 *
 * <p>Guarantees: at least once (a crash between the acknowledgement and the delete republishes
 * the batch), per-key order (rows are read under a lock, so only one relay instance sends at a
 * time, and when the broker fails the whole batch is sent again). It wakes up right after a
 * commit that appended rows, and polls every {@code pollInterval} otherwise. On failure it retries
 * with exponential backoff up to {@code maxBackoff}; nothing is dropped. A row that cannot be sent
 * because of itself (too large, undecodable) is set aside after {@code maxAttempts}
 * ({@link OutboxDeadLetters}), so one bad row never holds up the ones behind it.
 *
 * <p>Each record's timestamp is the start of the transaction that appended it, not the moment the
 * relay got to it: a consumer reads when a change (a deletion's tombstone too) was made, even
 * after the relay caught up on a backlog.
 */
public class OutboxRelay extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, Object> kafka;
    private final OutboxDeadLetters deadLetters;
    private final OutboxProperties properties;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Counter published;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate transactions, KafkaTemplate<String, Object> kafka,
                       OutboxDeadLetters deadLetters, OutboxProperties properties, MeterRegistry meters) {
        super("outbox-relay");
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.properties = properties;
        this.published = Counter.builder("switchboard.outbox.published")
                .description("Outbox records published to Kafka").register(meters);
    }

    /** Signals that new rows were committed. */
    void wakeUp() {
        wakeUps.release();
    }

    @Override
    protected void work() {
        Duration backoff = properties.pollInterval();
        while (isRunning()) {
            try {
                int sent = relayBatch();
                backoff = properties.pollInterval();
                if (sent < properties.batchSize()) {
                    wakeUps.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!isRunning()) {
                    return;
                }
                log.warn("Outbox relay failed, retrying in {} ms: {} (cause: {})", backoff.toMillis(), e.toString(),
                        rootCause(e).toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = min(backoff.multipliedBy(2), properties.maxBackoff());
            }
        }
    }

    /**
     * Sends one batch in id order; returns how many rows it sent or set aside. A row that fails
     * because of itself counts an attempt and, at the last, moves to the dead letters, while the
     * rows sent beside it are done. A failure of the broker (or the registry) leaves the whole batch
     * to be sent again, so no row overtakes an earlier one of its key that is still waiting.
     *
     * @throws OutboxSendException when the batch must be tried again after a pause
     */
    int relayBatch() {
        BatchOutcome outcome = transactions.execute(status -> {
            List<OutboxRow> rows = jdbc.sql("""
                            SELECT id, topic, record_key, value_type, value_bytes, created_at, attempts FROM outbox
                            ORDER BY id LIMIT ? FOR UPDATE""")
                    .param(properties.batchSize())
                    .query((rs, n) -> new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getBytes(5), rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getInt(7)))
                    .list();
            if (rows.isEmpty()) {
                return BatchOutcome.NOTHING;
            }
            List<CompletableFuture<SendResult<String, Object>>> sends = rows.stream().map(this::send).toList();
            long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
            List<Long> sent = new ArrayList<>(rows.size());
            Throwable transientFailure = null;
            int setAside = 0;
            boolean retryRows = false;
            for (int i = 0; i < rows.size(); i++) {
                OutboxRow row = rows.get(i);
                Throwable failure = outcome(sends.get(i), deadline);
                String reason = failure == null ? null : OutboxFailures.reasonOfRow(failure);
                if (failure == null) {
                    sent.add(row.id());
                } else if (reason == null) {
                    transientFailure = transientFailure == null ? failure : transientFailure;
                } else if (deadLetters.failed(row.id(), row.topic(), row.attempts(), reason, failure)) {
                    setAside++;
                } else {
                    retryRows = true;
                }
            }
            if (transientFailure != null) {
                return new BatchOutcome(0, setAside, transientFailure);
            }
            if (!sent.isEmpty()) {
                jdbc.sql("DELETE FROM outbox WHERE id IN (:ids)").param("ids", sent).update();
            }
            return new BatchOutcome(sent.size(), setAside,
                    retryRows ? new OutboxSendException("a row of the batch failed; it is tried again") : null);
        });
        published.increment(outcome.sent());
        if (outcome.retryAfterPause() != null) {
            throw new OutboxSendException("Outbox batch not sent: " + outcome.retryAfterPause(), outcome.retryAfterPause());
        }
        return outcome.sent() + outcome.setAside();
    }

    /** Starts sending a row; a row that cannot even be decoded or serialized fails at once. */
    private CompletableFuture<SendResult<String, Object>> send(OutboxRow row) {
        try {
            return kafka.send(new ProducerRecord<String, Object>(row.topic(), null, row.createdAt().toEpochMilli(),
                    row.key(), row.value()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The failure of a send, or null when the broker acknowledged it before {@code deadline}. */
    private static Throwable outcome(CompletableFuture<SendResult<String, Object>> send, long deadline) {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** What one batch came to: rows sent, rows set aside, and why to pause before the next (null: no pause). */
    private record BatchOutcome(int sent, int setAside, Throwable retryAfterPause) {
        static final BatchOutcome NOTHING = new BatchOutcome(0, 0, null);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private record OutboxRow(long id, String topic, String key, String valueType, byte[] valueBytes, Instant createdAt,
                             int attempts) {
        SpecificRecord value() {
            return valueType == null ? null : AvroBinary.decode(valueType, valueBytes);
        }
    }
}
