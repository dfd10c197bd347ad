package io.switchboard.push.fanout;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.kafka.PerPollCommits;
import io.switchboard.platform.kafka.PollBatch;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Consumes {@code chat.messages} as one consumer group across push-service instances, a poll at a
 * time: the poll's deliveries are sent together and its offsets committed only once the broker
 * acknowledged them all, so one acknowledgement wait covers the whole poll. Several
 * ({@code switchboard.push.fanout-concurrency}) consumers fan out different partitions in parallel;
 * a conversation stays on one partition, so its order holds. Unreadable records go to the
 * dead-letter topic; a failed send retries the poll from its first record ({@link PollBatch}).
 */
@Component
class ChatMessagesListener {

    private final Fanout fanout;
    private final DeadLetters deadLetters;

    ChatMessagesListener(Fanout fanout, DeadLetters deadLetters) {
        this.fanout = fanout;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(id = "push-fanout", topics = "#{T(io.switchboard.schemas.Topics).CHAT_MESSAGES.name()}",
            groupId = "push-fanout", concurrency = "${switchboard.push.fanout-concurrency}", batch = "true",
            containerFactory = PerPollCommits.FACTORY)
    void onChatEvents(List<ConsumerRecord<String, ChatMessageEvent>> records, Consumer<?, ?> consumer) {
        PollBatch<ChatMessageEvent> batch = new PollBatch<>(records);
        List<Integer> readable = batch.readable();
        if (!readable.isEmpty()) {
            try {
                fanout.fanoutAll(readable.stream().map(i -> batch.record(i).value()).toList());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.stopAt(readable.getFirst(), e);
            } catch (Exception e) {
                batch.stopAt(readable.getFirst(), e);
            }
        }
        batch.finish(deadLetters, consumer);
    }
}
