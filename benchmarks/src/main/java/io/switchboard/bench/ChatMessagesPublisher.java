package io.switchboard.bench;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.ContentType;
import io.switchboard.events.chat.MessageStatus;
import io.switchboard.events.chat.SenderType;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes {@code message.created} events on {@code chat.messages} as message-service's outbox
 * relay does (same key, Avro serde, {@code acks=all}), so push-service can be driven at a rate
 * message-service could not store on the same cores. Sequence numbers keep rising across calls,
 * so each conversation's are increasing, as the relay's are.
 */
final class ChatMessagesPublisher implements AutoCloseable {

    private final String appId;
    private final KafkaProducer<String, Object> producer;
    private final AtomicLong seq = new AtomicLong(1_000);
    private final AtomicLong failed = new AtomicLong();

    /** Messages the app sends: their sender is the app. */
    ChatMessagesPublisher(String appId, String bootstrapServers, String registryApi) {
        this.appId = appId;
        this.producer = AvroProducers.create(bootstrapServers, registryApi);
    }

    /** Publishes one text message to the conversation without waiting for the broker; returns its id. */
    String publish(String conversationId, String text) {
        String messageId = "bench-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ChatMessageEvent event = ChatMessageEvent.newBuilder()
                .setEventId(messageId + ":created")
                .setType(ChatEventType.MESSAGE_CREATED)
                .setAppId(appId)
                .setConversationId(conversationId)
                .setSeq(seq.incrementAndGet())
                .setChangeSeq(seq.get())
                .setOccurredAt(now)
                .setMessage(ChatMessage.newBuilder()
                        .setMessageId(messageId)
                        .setSenderId(appId)
                        .setSenderType(SenderType.APP)
                        .setContentType(ContentType.TEXT)
                        .setText(text)
                        .setMentions(List.of())
                        .setVersion(1)
                        .setStatus(MessageStatus.ACTIVE)
                        .setCreatedAt(now)
                        .build())
                .build();
        producer.send(new ProducerRecord<>(Topics.CHAT_MESSAGES.name(), appId + "/" + conversationId, event),
                (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    }
                });
        return messageId;
    }

    /** Records the broker refused or that timed out. */
    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
