package io.switchboard.push.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.push.PushDelivery;
import io.switchboard.platform.kafka.PerPollCommits;
import io.switchboard.push.RecentIds;
import io.switchboard.push.webhooks.events.NotificationOutcomes;
import io.switchboard.schemas.Topics;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.TopicPartition;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway stage: reads only this gateway's partition of {@code push.deliveries} and writes
 * each event to every session of its recipients held here. Starts at the end of the partition:
 * deliveries for sessions of a previous run have no one left to reach. Offsets are committed once
 * per poll: a delivery is done once written to the sessions held here, and a crash redelivers at
 * most one poll, whose frames the client drops by {@code seq} (its sessions are gone anyway:
 * clients resume from history).
 */
@Component
class DeliveriesListener {

    private final SessionRegistry sessions;
    private final Frames frames;
    private final MeterRegistry meters;
    private final Timer deliveryLatency;
    private final NotificationOutcomes notificationOutcomes;
    /** Deliveries pushed lately; one the fanout stage produced again (after a restart) is not pushed twice. */
    private final RecentIds seen = new RecentIds(100_000);

    DeliveriesListener(SessionRegistry sessions, Frames frames, MeterRegistry meters,
                       NotificationOutcomes notificationOutcomes) {
        this.sessions = sessions;
        this.notificationOutcomes = notificationOutcomes;
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
            properties = "auto.offset.reset=latest", containerFactory = PerPollCommits.FACTORY)
    void onDelivery(PushDelivery delivery) {
        if (delivery == null) {
            return;
        }
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
            notificationOutcomes.pushed(event, notified);
        }
        meters.counter("switchboard.push.frames.sent").increment(sent);
        deliveryLatency.record(Duration.between(event.getOccurredAt(), Instant.now()));
    }
}
