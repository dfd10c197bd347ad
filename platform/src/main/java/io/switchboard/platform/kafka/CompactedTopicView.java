package io.switchboard.platform.kafka;

import io.switchboard.platform.BackgroundWorker;
import io.switchboard.schemas.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A local, in-memory replica of a compacted topic owned by another service (event-carried state
 * transfer): the latest value per key, a tombstone removing the key.
 *
 * <p>It reads every partition from the beginning without a consumer group, so each instance holds
 * the whole view and a restart rebuilds it from the topic alone. It is <em>caught up</em> once it
 * has applied everything that was in the topic when it started; services report ready only then.
 * {@link #awaitCurrentEnd(Duration)} waits until everything published so far is applied
 * (read-your-writes across services). A view whose values carry a version can ignore a stale one
 * by overriding {@link #supersedes}.
 *
 * <p>It rides out outages: while the broker or the schema registry cannot be reached it keeps
 * what it holds, retries with backoff and resumes where it was, never skipping a record because a
 * dependency is down. Only bytes that can never be read (not Avro, a schema id the registry does
 * not know) are skipped, counted ({@link #skipped()}) and logged. {@link #health} says how fresh it
 * is: every few seconds it looks up the topic's end, and it is as fresh as the latest look-up it
 * has since read up to; a view that cannot look (broker down) or cannot keep up goes stale, and one
 * whose thread died says so, so readiness can go DOWN instead of enforcing yesterday's state.
 *
 * @param <V> the Avro value type
 */
public class CompactedTopicView<V> extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicView.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /** How long a look-up of the topic's end or of a position may take before the view backs off and retries. */
    private static final Duration END_LOOKUP_TIMEOUT = Duration.ofSeconds(5);
    /** How often a view looks up the topic's end to know how fresh it is. */
    private static final Duration END_CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(3);

    /** Callback for each applied record, on the view's thread: {@code previous} and {@code current} may be null. */
    public interface ChangeListener<V> {
        void changed(String key, V previous, V current, TopicPartition partition, long offset);
    }

    private final String name;
    private final TopicSpec topic;
    private final Map<String, Object> consumerProperties;
    private final Map<String, V> values = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> appliedOffsets = new ConcurrentHashMap<>();
    /** Callers of {@link #awaitKeys} wait on {@link #applied}, signalled after each poll that applied records. */
    private final ReentrantLock arrivals = new ReentrantLock();
    private final Condition applied = arrivals.newCondition();
    private int waiting;
    private final List<ChangeListener<V>> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Barrier> pendingBarriers = new ConcurrentLinkedQueue<>();
    private final List<Barrier> barriers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private volatile KafkaConsumer<String, V> consumer;
    /** The latest look-up of the topic's end this view has read up to: it holds everything published before. */
    private volatile Instant freshAsOf = Instant.now();
    /** The latest look-up of the topic's end, while the view has not read up to it yet. */
    private volatile EndCheck pendingEndCheck;
    private volatile long lag = -1;
    private volatile long nextEndCheckNanos;
    private volatile String failure;
    private volatile boolean dead;
    private final AtomicLong skipped = new AtomicLong();
    private int failures;

    /**
     * @param consumerProperties Kafka consumer settings with deserializers; group and offset
     *                           settings are overridden, since a view has no consumer group
     */
    public CompactedTopicView(String name, TopicSpec topic, Map<String, Object> consumerProperties) {
        super("view-" + name);
        this.name = name;
        this.topic = topic;
        Map<String, Object> properties = new HashMap<>(consumerProperties);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "view-" + name);
        this.consumerProperties = properties;
    }

    public String name() {
        return name;
    }

    public void addListener(ChangeListener<V> listener) {
        listeners.add(listener);
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Collection<V> values() {
        return values.values();
    }

    public int size() {
        return values.size();
    }

    /** Whether the last record read for {@code key} was a tombstone: the key was deleted, not never seen. */
    public boolean isDeleted(String key) {
        return deleted.contains(key);
    }

    /**
     * The value of {@code key}, waiting up to {@code timeout} for it to arrive when it is not known
     * yet: a key that another service has just created may still be on its way (outbox, broker,
     * this view). Returns at once when the key is known or was deleted (a tombstone was read).
     */
    public Optional<V> awaitKey(String key, Duration timeout) {
        return awaitKey(key, FreshnessBudget.of(timeout));
    }

    /** Like {@link #awaitKey(String, Duration)}, waiting only as long as {@code budget} has left. */
    public Optional<V> awaitKey(String key, FreshnessBudget budget) {
        return Optional.ofNullable(awaitKeys(List.of(key), budget).get(key));
    }

    /**
     * The values of {@code keys}, waiting for those not known yet together: until each has arrived
     * or was deleted, or {@code budget} runs out. Keys without a value are absent from the result.
     * The wait costs the view nothing per waiter: it is woken when records are applied.
     */
    public Map<String, V> awaitKeys(Collection<String> keys, FreshnessBudget budget) {
        if (unsettled(keys).isEmpty() || budget.exhausted()) {
            return known(keys);
        }
        try {
            awaitCurrentEnd(budget.remaining());
            // still missing: the record may not have been published yet (an outbox); wait for it to be applied
            arrivals.lock();
            try {
                waiting++;
                while (!unsettled(keys).isEmpty() && !budget.exhausted()) {
                    applied.awaitNanos(budget.remaining().toNanos());
                }
            } finally {
                waiting--;
                arrivals.unlock();
            }
        } catch (TimeoutException e) {
            // the view could not reach the topic's end in time: answer with what it holds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return known(keys);
    }

    private List<String> unsettled(Collection<String> keys) {
        return keys.stream().filter(key -> !values.containsKey(key) && !deleted.contains(key)).toList();
    }

    private Map<String, V> known(Collection<String> keys) {
        Map<String, V> known = new HashMap<>();
        for (String key : keys) {
            V value = values.get(key);
            if (value != null) {
                known.put(key, value);
            }
        }
        return known;
    }

    /**
     * Whether {@code incoming} replaces {@code held}, the value this view holds for the same key. By
     * default every record does: the topic's order is the truth. A view of versioned values returns
     * false for an older version, e.g. one a producer re-sent (at least once) after a newer one; that
     * record is then skipped as if it were not there, and listeners do not hear of it.
     */
    protected boolean supersedes(V held, V incoming) {
        return true;
    }

    /** Whether everything present in the topic at start-up has been applied. */
    public boolean isCaughtUp() {
        return caughtUp.isDone();
    }

    /**
     * Waits up to {@code timeout} until everything present in the topic at start-up has been applied.
     *
     * @throws ViewNotLoadedException if it has not by then
     */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException {
        try {
            caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ViewNotLoadedException(name);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Whether the record at {@code offset} of {@code partition} has been applied. */
    public boolean hasApplied(TopicPartition partition, long offset) {
        return appliedOffsets.getOrDefault(partition, 0L) > offset;
    }

    /**
     * Waits until every record published to the topic before this call has been applied.
     *
     * @throws TimeoutException when that takes longer than {@code timeout}
     */
    public void awaitCurrentEnd(Duration timeout) throws TimeoutException, InterruptedException {
        Barrier barrier = new Barrier();
        pendingBarriers.add(barrier);
        try {
            barrier.reached.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Wakes the consumer out of a poll, so the loop sees that it must stop. */
    @Override
    protected void interruptWork(Thread thread) {
        KafkaConsumer<String, V> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    @Override
    protected void work() {
        try (KafkaConsumer<String, V> kafka = new KafkaConsumer<>(consumerProperties)) {
            consumer = kafka;
            List<TopicPartition> partitions = awaitPartitions(kafka);
            if (partitions.isEmpty()) {
                return;
            }
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            boolean startEndKnown = false;
            while (isRunning()) {
                try {
                    if (!startEndKnown) {
                        barriers.add(new Barrier(kafka.endOffsets(partitions, END_LOOKUP_TIMEOUT), caughtUp));
                        startEndKnown = true;
                    }
                    pollOnce(kafka, partitions);
                    healthy();
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // the broker unreachable (look-ups time out), the registry down, a credential refused:
                    // keep what the view holds, back off and go on from the same position
                    backOff(e);
                }
            }
        } catch (WakeupException e) {
            if (isRunning()) {
                died(e);
            }
        } catch (RuntimeException | Error e) {
            died(e);
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            consumer = null;
        }
    }

    private void pollOnce(KafkaConsumer<String, V> kafka, List<TopicPartition> partitions) {
        if (!pendingBarriers.isEmpty() || System.nanoTime() - nextEndCheckNanos >= 0) {
            // one look at the end for every caller waiting since the last poll, however many they are
            Map<TopicPartition, Long> end = kafka.endOffsets(partitions, END_LOOKUP_TIMEOUT);
            pendingEndCheck = new EndCheck(Instant.now(), end);
            lag = behind(end, partitions);
            nextEndCheckNanos = System.nanoTime() + END_CHECK_INTERVAL.toNanos();
            for (Barrier pending; (pending = pendingBarriers.poll()) != null; ) {
                barriers.add(new Barrier(end, pending.reached));
            }
        }
        int appliedNow = 0;
        try {
            for (ConsumerRecord<String, V> record : kafka.poll(POLL_TIMEOUT)) {
                apply(record);
                appliedNow++;
            }
        } catch (RecordDeserializationException e) {
            if (e.getCause() instanceof RegistryAvroDeserializer.SchemaRegistryUnavailableException unavailable) {
                throw unavailable; // readable once the registry answers: read it again then, never skip it
            }
            skipped.incrementAndGet();
            log.error("View {} skips unreadable record at {}-{}@{}: {}", name, e.topicPartition().topic(),
                    e.topicPartition().partition(), e.offset(), e.getMessage());
            kafka.seek(e.topicPartition(), e.offset() + 1);
        }
        for (TopicPartition partition : partitions) {
            appliedOffsets.put(partition, kafka.position(partition, END_LOOKUP_TIMEOUT));
        }
        barriers.removeIf(this::releaseIfReached);
        EndCheck check = pendingEndCheck;
        if (check != null && reached(check.end())) {
            freshAsOf = check.at();
            pendingEndCheck = null;
        }
        if (appliedNow > 0) {
            wakeKeyWaiters();
        }
    }

    private long behind(Map<TopicPartition, Long> end, List<TopicPartition> partitions) {
        long behind = 0;
        for (TopicPartition partition : partitions) {
            behind += Math.max(0, end.getOrDefault(partition, 0L) - appliedOffsets.getOrDefault(partition, 0L));
        }
        return behind;
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        return targets.entrySet().stream()
                .allMatch(target -> appliedOffsets.getOrDefault(target.getKey(), 0L) >= target.getValue());
    }

    private void healthy() {
        if (failure != null) {
            log.info("View {} of {} reads again after {} failed attempt(s)", name, topic.name(), failures);
        }
        failure = null;
        failures = 0;
    }

    private void backOff(KafkaException e) {
        failures++;
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (failures == 1 || failures % 30 == 0) {
            log.warn("View {} of {} cannot read (attempt {}), keeps what it holds and retries: {}", name, topic.name(),
                    failures, failure);
        }
        try {
            Thread.sleep(Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(failures, 5)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void died(Throwable e) {
        dead = true;
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.error("View {} of {} stopped for good: the service is not ready until restarted", name, topic.name(), e);
    }

    /**
     * How the view stands.
     *
     * @param caughtUp   it has applied what the topic held when it started
     * @param dead       its thread ended while the service runs: it will not read again
     * @param freshAsOf  it holds everything published before this instant
     * @param lag        records it was behind at its latest look-up of the topic's end; -1 before the first
     * @param failure    why its latest attempt to read failed; null when reading
     */
    public record Health(boolean caughtUp, boolean dead, Instant freshAsOf, long lag, String failure, long skipped,
                         int keys) {

        /** Whether the view is older than {@code maxStaleness} at {@code now}. */
        public boolean staleAt(Instant now, Duration maxStaleness) {
            return freshAsOf.plus(maxStaleness).isBefore(now);
        }
    }

    public Health health() {
        return new Health(caughtUp.isDone(), dead, freshAsOf, lag, failure, skipped.get(), values.size());
    }

    /** Records skipped because they can never be read. */
    public long skipped() {
        return skipped.get();
    }

    private void wakeKeyWaiters() {
        arrivals.lock();
        try {
            if (waiting > 0) {
                applied.signalAll();
            }
        } finally {
            arrivals.unlock();
        }
    }

    private void apply(ConsumerRecord<String, V> record) {
        V previous;
        if (record.value() == null) {
            previous = values.remove(record.key());
            deleted.add(record.key());
        } else {
            V held = values.get(record.key());
            if (held != null && !supersedes(held, record.value())) {
                return;
            }
            previous = values.put(record.key(), record.value());
            deleted.remove(record.key());
        }
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        for (ChangeListener<V> listener : listeners) {
            try {
                listener.changed(record.key(), previous, record.value(), partition, record.offset());
            } catch (RuntimeException e) {
                log.error("View {} listener failed for key {}", name, record.key(), e);
            }
        }
    }

    private boolean releaseIfReached(Barrier barrier) {
        boolean reached = reached(barrier.targets);
        if (reached) {
            barrier.reached.complete(null);
        }
        return reached;
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, V> kafka) {
        while (isRunning()) {
            try {
                List<PartitionInfo> infos = kafka.partitionsFor(topic.name(), Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.info("View {} waits for topic {}", name, topic.name());
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    /** A look-up of the topic's end (next offset per partition) and when it was made. */
    private record EndCheck(Instant at, Map<TopicPartition, Long> end) {
    }

    /** Offsets to reach (next offset to read, per partition) and the future to complete then. */
    private record Barrier(Map<TopicPartition, Long> targets, CompletableFuture<Void> reached) {
        Barrier() {
            this(Map.of(), new CompletableFuture<>());
        }
    }
}
