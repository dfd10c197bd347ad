package io.switchboard.message.erasure;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Reads {@code membership.changes} in a consumer group of its own, so that every deletion is seen
 * once even if this service was down when it happened, and erases each deleted conversation
 * ({@link ConversationErasure#erase}). A tombstone's timestamp is when the deletion was committed
 * (the outbox stamps it). Only tombstones matter: values are not even deserialized.
 */
@Component
class ConversationTombstonesListener {

    private static final Logger log = LoggerFactory.getLogger(ConversationTombstonesListener.class);

    private final ConversationErasure erasure;

    ConversationTombstonesListener(ConversationErasure erasure) {
        this.erasure = erasure;
    }

    @KafkaListener(id = "conversation-erasure", groupId = "message-service-conversation-erasure",
            topics = "#{T(io.switchboard.schemas.Topics).MEMBERSHIP_CHANGES.name()}",
            properties = "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
    void onConversationChange(ConsumerRecord<String, byte[]> record) {
        if (record.value() != null) {
            return;
        }
        int slash = record.key() == null ? -1 : record.key().indexOf('/');
        if (slash <= 0 || slash == record.key().length() - 1) {
            // membership-service writes no such key: nothing of ours to erase
            log.warn("Ignored a membership.changes tombstone without <appId>/<conversationId> key at offset {} of partition {}",
                    record.offset(), record.partition());
            return;
        }
        erasure.erase(record.key().substring(0, slash), record.key().substring(slash + 1),
                Instant.ofEpochMilli(record.timestamp()));
    }
}
