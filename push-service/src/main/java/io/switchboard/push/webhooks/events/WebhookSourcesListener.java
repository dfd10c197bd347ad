package io.switchboard.push.webhooks.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.events.push.NotificationOutcome;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.cards.CardStore;
import io.switchboard.push.webhooks.delivery.EventRecorder;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what apps may hear of - {@code chat.messages}, {@code membership.members},
 * {@code presence.changes} and {@code push.notification.outcomes} - in its own consumer group
 * ({@code push-webhooks}), a poll at a time: the poll's events become deliveries (and clickable
 * cards are kept) in one transaction, and the offsets are committed only after it: a crash
 * re-reads the poll, and recording an event twice adds nothing. A failure to record (the database
 * is down) is retried until it succeeds ({@link WebhookSourcesConfiguration}).
 *
 * <p>A record this group cannot read: while the schema registry is unreachable, the poll is
 * recorded up to it and the rest is read again later; otherwise a notification outcome goes to
 * {@code push.notification.outcomes.dlt} (this group is its only reader), and a record of the
 * other topics is skipped - the service's own consumers of those topics dead-letter or skip it
 * already.
 */
@Component
class WebhookSourcesListener {

    private static final Logger log = LoggerFactory.getLogger(WebhookSourcesListener.class);
    private static final LogAccessor LOG = new LogAccessor(WebhookSourcesListener.class);

    private final EventRecorder recorder;
    private final CardStore cards;
    private final SourceEvents sourceEvents;
    private final DeadLetters deadLetters;
    private final TransactionOperations transactions;
    private final MeterRegistry meters;

    WebhookSourcesListener(EventRecorder recorder, CardStore cards, JsonMapper json, DeadLetters deadLetters,
                           TransactionOperations transactions, MeterRegistry meters) {
        this.recorder = recorder;
        this.cards = cards;
        this.sourceEvents = new SourceEvents(json);
        this.deadLetters = deadLetters;
        this.transactions = transactions;
        this.meters = meters;
    }

    @KafkaListener(id = "push-webhooks", groupId = "push-webhooks", batch = "true",
            topics = {"#{T(io.switchboard.schemas.Topics).CHAT_MESSAGES.name()}",
                    "#{T(io.switchboard.schemas.Topics).MEMBERSHIP_MEMBERS.name()}",
                    "#{T(io.switchboard.schemas.Topics).PRESENCE_CHANGES.name()}",
                    "#{T(io.switchboard.schemas.Topics).PUSH_NOTIFICATION_OUTCOMES.name()}"},
            concurrency = "${switchboard.webhooks.source-concurrency:2}",
            containerFactory = WebhookSourcesConfiguration.FACTORY)
    void onRecords(List<ConsumerRecord<String, Object>> records, Consumer<?, ?> consumer) {
        List<ConsumerRecord<String, Object>> readable = new ArrayList<>();
        List<ConsumerRecord<String, Object>> deadLettered = new ArrayList<>();
        List<Exception> reasons = new ArrayList<>();
        int stop = records.size();
        Exception outage = null;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, Object> record = records.get(i);
            Exception unreadable = unreadable(record);
            if (unreadable == null) {
                readable.add(record);
            } else if (DeadLetters.isInfrastructureOutage(unreadable)) {
                stop = i;
                outage = unreadable;
                break;
            } else if (Topics.PUSH_NOTIFICATION_OUTCOMES.name().equals(record.topic())) {
                deadLettered.add(record);
                reasons.add(unreadable);
            } else {
                log.debug("Webhooks skip unreadable record {}-{}@{}", record.topic(), record.partition(), record.offset());
                meters.counter("switchboard.webhooks.source.skipped").increment();
            }
        }
        transactions.executeWithoutResult(status -> record(readable));
        for (int i = 0; i < deadLettered.size(); i++) {
            deadLetters.publish(deadLettered.get(i), consumer, reasons.get(i));
        }
        if (outage != null) {
            ConsumerRecord<String, Object> first = records.get(stop);
            throw new BatchListenerFailedException("Schema registry unavailable at " + first.topic() + "-"
                    + first.partition() + "@" + first.offset(), outage, stop);
        }
    }

    /** The readable records' events as deliveries, and their cards, in the caller's transaction. */
    private void record(List<ConsumerRecord<String, Object>> records) {
        List<WebhookEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, Object> record : records) {
            switch (record.value()) {
                case ChatMessageEvent chat -> {
                    cards.apply(chat);
                    sourceEvents.message(chat).ifPresent(events::add);
                }
                case PresenceState presence -> events.add(sourceEvents.presence(presence));
                case NotificationOutcome outcome -> events.addAll(sourceEvents.notification(outcome));
                case ConversationMember member -> sourceEvents.membership(record.key(), member, recordId(record),
                        Instant.ofEpochMilli(record.timestamp())).ifPresent(events::add);
                case null -> sourceEvents.membership(record.key(), null, recordId(record),
                        Instant.ofEpochMilli(record.timestamp())).ifPresent(events::add);   // a member removed
                default -> meters.counter("switchboard.webhooks.source.skipped").increment();
            }
        }
        recorder.record(events);
    }

    private static Exception unreadable(ConsumerRecord<?, ?> record) {
        DeserializationException value = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
        return value != null ? value : SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER, LOG);
    }

    private static String recordId(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
