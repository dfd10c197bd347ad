package io.switchboard.push.webhooks.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.cards.CardStore;
import io.switchboard.push.webhooks.delivery.EventRecorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what apps may hear of - {@code chat.messages}, {@code membership.members},
 * {@code presence.changes} - in its own consumer group ({@code push-webhooks}), a poll at a time:
 * the poll's events become deliveries (and clickable cards are kept) in one transaction, and the
 * offsets are committed only after it: a crash re-reads the poll, and recording an event twice
 * adds nothing. A failure to record (the database is down) is retried until it succeeds
 * ({@link WebhookSourcesConfiguration}). A record this group cannot read is skipped: the service's
 * own consumers of these topics dead-letter or skip it already.
 */
@Component
class WebhookSourcesListener {

    private static final Logger log = LoggerFactory.getLogger(WebhookSourcesListener.class);
    private static final LogAccessor LOG = new LogAccessor(WebhookSourcesListener.class);

    private final EventRecorder recorder;
    private final CardStore cards;
    private final SourceEvents sourceEvents;
    private final MeterRegistry meters;

    WebhookSourcesListener(EventRecorder recorder, CardStore cards, JsonMapper json, MeterRegistry meters) {
        this.recorder = recorder;
        this.cards = cards;
        this.sourceEvents = new SourceEvents(json);
        this.meters = meters;
    }

    @KafkaListener(id = "push-webhooks", groupId = "push-webhooks", batch = "true",
            topics = {"#{T(io.switchboard.schemas.Topics).CHAT_MESSAGES.name()}",
                    "#{T(io.switchboard.schemas.Topics).MEMBERSHIP_MEMBERS.name()}",
                    "#{T(io.switchboard.schemas.Topics).PRESENCE_CHANGES.name()}"},
            concurrency = "${switchboard.webhooks.source-concurrency:2}",
            containerFactory = WebhookSourcesConfiguration.FACTORY)
    @Transactional
    void onRecords(List<ConsumerRecord<String, Object>> records) {
        List<WebhookEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, Object> record : records) {
            if (SerializationUtils.getExceptionFromHeader(record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG) != null
                    || SerializationUtils.getExceptionFromHeader(record, SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER, LOG) != null) {
                log.debug("Webhooks skip unreadable record {}-{}@{}", record.topic(), record.partition(), record.offset());
                meters.counter("switchboard.webhooks.source.skipped").increment();
                continue;
            }
            switch (record.value()) {
                case ChatMessageEvent chat -> {
                    cards.apply(chat);
                    sourceEvents.message(chat).ifPresent(events::add);
                }
                case PresenceState presence -> events.add(sourceEvents.presence(presence));
                case ConversationMember member -> sourceEvents.membership(record.key(), member, recordId(record),
                        Instant.ofEpochMilli(record.timestamp())).ifPresent(events::add);
                case null -> sourceEvents.membership(record.key(), null, recordId(record),
                        Instant.ofEpochMilli(record.timestamp())).ifPresent(events::add);   // a member removed
                default -> meters.counter("switchboard.webhooks.source.skipped").increment();
            }
        }
        recorder.record(events);
    }

    private static String recordId(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
