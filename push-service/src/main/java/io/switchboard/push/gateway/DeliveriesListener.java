package io.switchboard.push.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.push.PushDelivery;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.kafka.PerPollCommits;
import io.switchboard.platform.kafka.PollBatch;
import io.switchboard.push.PushProperties;
import io.switchboard.push.RecentIds;
import io.switchboard.push.webhooks.events.NotificationOutcomes;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.TopicPartition;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway stage: reads only this gateway's partition of {@code push.deliveries} and writes
 * each event to every session of its recipients held here. Starts at the end of the partition:
 * deliveries for sessions of a previous run have no one left to reach. Offsets are committed once
 * per poll: a delivery is done once written to the sessions held here, and a crash redelivers at
 * most one poll, whose frames the client drops by {@code seq} (its sessions are gone anyway:
 * clients resume from history).
 *
 * <p>A routed notification's outcome per recipient goes to {@code push.notification.outcomes}
 * right after its frames are queued, without waiting; the poll's outcomes are awaited once, at
 * its end, before its offsets are committed ({@link NotificationOutcomes#awaitAcknowledged}), so a
 * poll without notifications waits for nothing and a crash loses no outcome. Unreadable records go
 * to the dead-letter topic ({@link PollBatch}).
 */
@Component
class DeliveriesListener {

    private final SessionRegistry sessions;
    private final Frames frames;
    private final MeterRegistry meters;
    private final Timer deliveryLatency;
    private final NotificationOutcomes notificationOutcomes;
    private final DeadLetters deadLetters;
    /** Deliveries pushed lately; one the fanout stage produced again (after a restart) is not pushed twice. */
    private final RecentIds seen;

    DeliveriesListener(SessionRegistry sessions, Frames frames, MeterRegistry meters,
                       NotificationOutcomes notificationOutcomes, DeadLetters deadLetters, PushProperties properties) {
        this.sessions = sessions;
        this.seen = new RecentIds(properties.dedupeWindow());
        this.notificationOutcomes = notificationOutcomes;
        this.deadLetters = deadLetters;
        this.frames = frames;
        this.meters = meters;
        this.deliveryLatency = Timer.builder("switchboard.push.delivery.latency")
                .description("From the chat event (message stored, read, member change) to its frames queued on this gateway's sessions")
                .publishPercentileHistogram().register(meters);
    }

    @KafkaListener(id = "push-gateway",
            groupId = "push-gateway-${switchboard.push.gateway-ordinal:0}",
            topicPartitions = @TopicPartition(topic = "#{T(io.switchboard.schemas.Topics).PUSH_DELIVERIES.name()}",
                    partitions = "${switchboard.push.gateway-ordinal:0}"),
            properties = "auto.offset.reset=latest", batch = "true", containerFactory = PerPollCommits.FACTORY)
    void onDeliveries(List<ConsumerRecord<String, PushDelivery>> records, Consumer<?, ?> consumer) {
        PollBatch<PushDelivery> batch = new PollBatch<>(records);
        List<NotificationOutcomes.Sent> outcomes = new ArrayList<>();
        for (int index : batch.readable()) {
            try {
                deliver(batch.record(index).value(), outcomes);
            } catch (RuntimeException e) {
                batch.stopAt(index, e);
                break;
            }
        }
        try {
            notificationOutcomes.awaitAcknowledged(outcomes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.stopAt(0, e);   // shutting down: nothing of this poll is committed
        }
        batch.finish(deadLetters, consumer);
    }

    private void deliver(PushDelivery delivery, List<NotificationOutcomes.Sent> outcomes) {
        ChatMessageEvent event = delivery.getEvent();
        if (!seen.firstTime(Topics.conversationKey(event.getAppId(), event.getConversationId()) + "/"
                + delivery.getDeliveryId())) {
            meters.counter("switchboard.push.deliveries.duplicate").increment();
            return;
        }
        String frame = frames.chatEvent(event);
        int sent = 0;
        // webhooks: a routed notification's outcome per recipient (notification.delivered / failed)
        Map<String, Integer> notified = NotificationOutcomes.isNotification(event) ? new HashMap<>() : null;
        for (String userId : delivery.getRecipients()) {
            int toUser = 0;
            for (PushSession session : sessions.sessionsOf(event.getAppId(), userId)) {
                if (session.sendLive(event.getConversationId(), event.getChangeSeq(), frame)) {
                    toUser++;
                }
            }
            sent += toUser;
            if (notified != null) {
                notified.put(userId, toUser);
            }
        }
        if (notified != null) {
            outcomes.addAll(notificationOutcomes.pushed(event, delivery.getGateway(), notified));
        }
        meters.counter("switchboard.push.frames.sent").increment(sent);
        deliveryLatency.record(Duration.between(event.getOccurredAt(), Instant.now()));
    }
}
