package io.switchboard.push.fanout;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code chat.messages} as one consumer group across push-service instances; the offset
 * is committed only after the event's deliveries are acknowledged by the broker. Each event mostly
 * waits for that acknowledgement, so {@code switchboard.push.fanout-concurrency} consumers fan out
 * different partitions in parallel; a conversation stays on one partition, so its order holds.
 */
@Component
class ChatMessagesListener {

    private final Fanout fanout;

    ChatMessagesListener(Fanout fanout) {
        this.fanout = fanout;
    }

    @KafkaListener(id = "push-fanout", topics = "#{T(io.switchboard.schemas.Topics).CHAT_MESSAGES.name()}",
            groupId = "push-fanout", concurrency = "${switchboard.push.fanout-concurrency}")
    void onChatEvent(ChatMessageEvent event) throws Exception {
        if (event == null) {
            throw new UnprocessableRecordException("missing-value", "The record has no value");
        }
        fanout.fanout(event);
    }
}
