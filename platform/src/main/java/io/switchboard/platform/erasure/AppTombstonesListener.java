package io.switchboard.platform.erasure;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

import java.time.Instant;

/**
 * Reads {@code auth.apps} in the service's own consumer group, so every deletion is seen once even
 * if the service was down when it happened, and records an erasure for each deleted app (a
 * tombstone; its timestamp is when auth-service committed the deletion). Values are not even
 * deserialized: the apps view reads them.
 */
class AppTombstonesListener {

    private final AppErasures erasures;
    private final AppErasureJob job;

    AppTombstonesListener(AppErasures erasures, AppErasureJob job) {
        this.erasures = erasures;
        this.job = job;
    }

    @KafkaListener(id = "app-erasure", groupId = "${switchboard.erasure.group-id}",
            topics = "#{T(io.switchboard.schemas.Topics).AUTH_APPS.name()}",
            properties = "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
    void onAppChange(ConsumerRecord<String, byte[]> record) {
        if (record.value() != null || record.key() == null || record.key().isBlank()) {
            return;
        }
        erasures.request(record.key(), Instant.ofEpochMilli(record.timestamp()));
        job.runAfterSettling();
    }
}
