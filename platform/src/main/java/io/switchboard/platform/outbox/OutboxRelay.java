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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes outbox rows to Kafka in id order and deletes them once the broker acknowledged them.
 *
 * <p>Guarantees: at least once (a crash between the acknowledgement and the delete republishes
 * the batch), per-key order (rows are read under a lock, so only one relay instance sends at a
 * time, and a batch is deleted only after every send of it succeeded). It wakes up right after a
 * commit that appended rows, and polls every {@code pollInterval} otherwise. On failure it retries
 * the same batch with exponential backoff up to {@code maxBackoff}; nothing is dropped.
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
    private final OutboxProperties properties;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Counter published;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate transactions, KafkaTemplate<String, Object> kafka,
                       OutboxProperties properties, MeterRegistry meters) {
        super("outbox-relay");
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
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

    /** Sends one batch and deletes it; returns how many rows it sent. */
    int relayBatch() {
        Integer sent = transactions.execute(status -> {
            List<OutboxRow> rows = jdbc.sql("""
                            SELECT id, topic, record_key, value_type, value_bytes, created_at FROM outbox
                            ORDER BY id LIMIT ? FOR UPDATE""")
                    .param(properties.batchSize())
                    .query((rs, n) -> new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getBytes(5), rs.getObject(6, OffsetDateTime.class).toInstant()))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<SendResult<String, Object>>> sends = new ArrayList<>(rows.size());
            for (OutboxRow row : rows) {
                sends.add(kafka.send(new ProducerRecord<String, Object>(row.topic(), null, row.createdAt().toEpochMilli(), row.key(),
                        row.value())));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .orTimeout(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .join();
            jdbc.sql("DELETE FROM outbox WHERE id IN (:ids)")
                    .param("ids", rows.stream().map(OutboxRow::id).toList())
                    .update();
            return rows.size();
        });
        int count = sent == null ? 0 : sent;
        published.increment(count);
        return count;
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

    private record OutboxRow(long id, String topic, String key, String valueType, byte[] valueBytes, Instant createdAt) {
        SpecificRecord value() {
            return valueType == null ? null : AvroBinary.decode(valueType, valueBytes);
        }
    }
}
