package io.switchboard.platform.outbox;

import io.switchboard.schemas.TopicSpec;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.List;

/**
 * The only way a service publishes an event about its own state: the event is written to the
 * {@code outbox} table in the transaction that changes the state, so it is published if and only
 * if that transaction commits (no dual write). The {@link OutboxRelay} sends rows in insertion
 * order, at least once; consumers deduplicate.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final OutboxRelay relay;

    public Outbox(JdbcClient jdbc, JdbcTemplate batches, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.relay = relay;
    }

    /** A record and its key, for {@link #appendAll}. */
    public record Keyed(String key, SpecificRecord value) {
    }

    /** Queues several records for {@code topic} in one batch, in list order; must run inside a transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendAll(TopicSpec topic, List<Keyed> records) {
        if (records.isEmpty()) {
            return;
        }
        batches.batchUpdate("INSERT INTO outbox (topic, record_key, value_type, value_bytes) VALUES (?, ?, ?, ?)",
                records.stream().map(r -> new Object[]{topic.name(), r.key(), r.value().getClass().getName(),
                        AvroBinary.encode(r.value())}).toList());
        wakeRelayAfterCommit();
    }

    /** Queues {@code value} for {@code topic} under {@code key}; must run inside a transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(TopicSpec topic, String key, SpecificRecord value) {
        insert(topic, key, value.getClass().getName(), AvroBinary.encode(value));
    }

    /** Queues a tombstone (null value), which deletes {@code key} from a compacted topic. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendTombstone(TopicSpec topic, String key) {
        insert(topic, key, null, null);
    }

    private void insert(TopicSpec topic, String key, String valueType, byte[] valueBytes) {
        jdbc.sql("INSERT INTO outbox (topic, record_key, value_type, value_bytes) VALUES (?, ?, ?, ?)")
                .params(topic.name(), key, valueType, valueBytes)
                .update();
        wakeRelayAfterCommit();
    }

    private void wakeRelayAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }
}
