package io.switchboard.bench;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Watches {@code chat.messages} from its end and notes when each new message was published (first
 * seen, {@link System#nanoTime()}), under a key taken from the message: its id, or the business
 * event a notification was routed from.
 */
final class PublishedMessages implements AutoCloseable {

    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Function<ChatMessage, String> key;
    private final Thread poller;

    private PublishedMessages(String bootstrap, String registryApi, Function<ChatMessage, String> key) {
        this.key = key;
        Map<String, Object> properties = new HashMap<>(RegistrySerde.consumerProperties(registryApi));
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, ChatMessageEvent> consumer = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHAT_MESSAGES.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolves the end now, so nothing published from here on is missed
        poller = Thread.ofPlatform().name("published-watcher").start(() -> poll(consumer));
    }

    /** Keys messages by their message id. */
    static PublishedMessages byMessageId(String bootstrap, String registryApi) {
        return new PublishedMessages(bootstrap, registryApi, ChatMessage::getMessageId);
    }

    /** Keys routed notifications by the id of the business event they came from; other messages are ignored. */
    static PublishedMessages byOriginEventId(String bootstrap, String registryApi) {
        return new PublishedMessages(bootstrap, registryApi,
                message -> message.getOrigin() == null ? null : message.getOrigin().getEventId());
    }

    private void poll(KafkaConsumer<String, ChatMessageEvent> consumer) {
        try (consumer) {
            while (running.get()) {
                for (ConsumerRecord<String, ChatMessageEvent> record : consumer.poll(Duration.ofMillis(100))) {
                    ChatMessageEvent event = record.value();
                    if (event != null && event.getType() == ChatEventType.MESSAGE_CREATED) {
                        String id = key.apply(event.getMessage());
                        if (id != null) {
                            seenAt.putIfAbsent(id, System.nanoTime());
                        }
                    }
                }
            }
        }
    }

    /**
     * Waits until every key was seen; returns when the last of them was.
     *
     * @throws IllegalStateException if some were not seen within {@code timeout}
     */
    long awaitAll(Collection<String> keys, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long last = 0;
            long missing = 0;
            for (String id : keys) {
                Long at = seenAt.get(id);
                if (at == null) {
                    missing++;
                } else {
                    last = Math.max(last, at);
                }
            }
            if (missing == 0) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(missing + " of " + keys.size() + " were not published within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** When {@code key} was first seen, or null if it was not (yet). */
    Long at(String key) {
        return seenAt.get(key);
    }

    /** How many distinct keys were seen so far. */
    int count() {
        return seenAt.size();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        poller.join();
    }
}
