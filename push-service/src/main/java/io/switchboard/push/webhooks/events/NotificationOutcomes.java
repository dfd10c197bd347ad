package io.switchboard.push.webhooks.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.EventOrigin;
import io.switchboard.platform.BackgroundWorker;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.WebhookEventType;
import io.switchboard.push.webhooks.delivery.EventRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What became of a routed notification (a message created from a business event) for each
 * recipient: {@code notification.delivered} once a gateway handed it to at least one live session
 * of the recipient, {@code notification.failed} when the recipient had no session at fanout
 * ({@code offline}: they will see it in history) or every session of theirs on that gateway was
 * gone or had fallen behind ({@code connection-lost}). A user with sessions on several gateways
 * hears of each gateway's outcome.
 *
 * <p>The fanout and gateway stages report here without waiting: outcomes are queued in memory
 * (at most 10,000; more are dropped and counted) and recorded as deliveries in batches on this
 * worker's thread. Outcomes not yet recorded when the instance dies are lost; once recorded, their
 * delivery is at least once like every other.
 */
@Component
public class NotificationOutcomes extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(NotificationOutcomes.class);
    private static final int CAPACITY = 10_000;
    private static final int BATCH = 500;

    private final BlockingQueue<WebhookEvent> outcomes = new ArrayBlockingQueue<>(CAPACITY);
    private final EventRecorder recorder;
    private final MeterRegistry meters;

    NotificationOutcomes(EventRecorder recorder, MeterRegistry meters) {
        super("webhook-notification-outcomes");
        this.recorder = recorder;
        this.meters = meters;
    }

    /** This gateway handed a chat event to {@code sessions} sessions of each recipient. */
    public void pushed(ChatMessageEvent event, Map<String, Integer> sessionsPerRecipient) {
        if (!isNotification(event)) {
            return;
        }
        sessionsPerRecipient.forEach((userId, sessions) -> offer(sessions > 0
                ? outcome(event, userId, WebhookEventType.NOTIFICATION_DELIVERED, "devices", sessions)
                : outcome(event, userId, WebhookEventType.NOTIFICATION_FAILED, "reason", "connection-lost")));
    }

    /** Recipients of a chat event who had no session on any gateway when it was fanned out. */
    public void offline(ChatMessageEvent event, Collection<String> userIds) {
        if (isNotification(event)) {
            userIds.forEach(userId -> offer(outcome(event, userId, WebhookEventType.NOTIFICATION_FAILED, "reason", "offline")));
        }
    }

    /** Whether the event is a routed notification being created: the only events with outcomes. */
    public static boolean isNotification(ChatMessageEvent event) {
        return event.getType() == ChatEventType.MESSAGE_CREATED && event.getMessage() != null
                && event.getMessage().getOrigin() != null;
    }

    private void offer(WebhookEvent outcome) {
        if (!outcomes.offer(outcome)) {
            meters.counter("switchboard.webhooks.notification.outcomes.dropped").increment();
        }
    }

    private static WebhookEvent outcome(ChatMessageEvent event, String userId, WebhookEventType type, String key, Object value) {
        ChatMessage message = event.getMessage();
        EventOrigin origin = message.getOrigin();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversationId", event.getConversationId());
        data.put("seq", event.getSeq());
        data.put("messageId", message.getMessageId());
        data.put("userId", userId);
        data.put(key, value);
        data.put("origin", Map.of("eventId", origin.getEventId(), "source", origin.getSource(),
                "eventType", origin.getEventType(), "routeId", origin.getRouteId()));
        return WebhookEvent.of(type.wireName() + ":" + event.getEventId() + ":" + userId, event.getAppId(), type,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), data);
    }

    @Override
    protected void work() {
        List<WebhookEvent> batch = new ArrayList<>(BATCH);
        while (isRunning() || !outcomes.isEmpty()) {
            try {
                WebhookEvent first = outcomes.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outcomes.drainTo(batch, BATCH - 1);
                recordWithRetry(batch);
                batch.clear();
            } catch (InterruptedException e) {
                if (!isRunning()) {
                    return;
                }
            }
        }
    }

    /** Records a batch, retrying while the database is unavailable (new outcomes queue meanwhile). */
    private void recordWithRetry(List<WebhookEvent> batch) throws InterruptedException {
        Duration wait = Duration.ofMillis(200);
        while (true) {
            try {
                recorder.record(batch);
                return;
            } catch (RuntimeException e) {
                if (!isRunning()) {
                    log.warn("{} notification outcomes not recorded at shutdown: {}", batch.size(), e.toString());
                    return;
                }
                log.warn("Could not record notification outcomes, retrying: {}", e.toString());
                Thread.sleep(wait);
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : wait.multipliedBy(2);
            }
        }
    }
}
