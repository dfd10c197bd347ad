package io.switchboard.push.webhooks.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.push.NotificationOutcome;
import io.switchboard.events.push.NotificationResult;
import io.switchboard.events.push.RecipientOutcome;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What became of a routed notification (a message created from a business event) for each
 * recipient, reported by the stage that found out on {@code push.notification.outcomes}: the
 * fanout stage reports recipients with no session on any gateway ({@code OFFLINE}: they will see
 * it in history), a gateway those it handed the message to at least one session of
 * ({@code DELIVERED}) or whose sessions there were all gone or had fallen behind
 * ({@code CONNECTION_LOST}). The webhook sources turn them into {@code notification.delivered} and
 * {@code notification.failed} ({@link SourceEvents#notification}).
 *
 * <p><b>Durability.</b> A stage has every outcome it sent acknowledged by the broker before it
 * commits the offsets of the records it reports on (the fanout stage together with its deliveries,
 * a gateway at the end of each poll with {@link #awaitAcknowledged}), so an instance that dies
 * takes no outcome with it, and neither stage ever waits for the database. A record read again
 * after a crash may be reported again; the webhooks keep one delivery per outcome id.
 */
@Component
public class NotificationOutcomes {

    /** Recipients per record: a 100,000-member group's outcomes take 100 small records, not one huge one. */
    static final int RECIPIENTS_PER_RECORD = 1_000;
    private static final Duration FIRST_RESEND_WAIT = Duration.ofMillis(500);
    private static final Duration LONGEST_RESEND_WAIT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(NotificationOutcomes.class);

    private final KafkaTemplate<String, Object> kafka;
    private final MeterRegistry meters;

    NotificationOutcomes(KafkaTemplate<String, Object> kafka, MeterRegistry meters) {
        this.kafka = kafka;
        this.meters = meters;
    }

    /** An outcome record on its way to the broker; {@code acknowledged} completes once the broker has it. */
    public record Sent(ProducerRecord<String, Object> record, CompletableFuture<?> acknowledged) {
    }

    /** Whether the event is a routed notification being created: the only events with outcomes. */
    public static boolean isNotification(ChatMessageEvent event) {
        return event.getType() == ChatEventType.MESSAGE_CREATED && event.getMessage() != null
                && event.getMessage().getOrigin() != null;
    }

    /** Reports the recipients of a notification who had no session on any gateway when it was fanned out. */
    public List<Sent> offline(ChatMessageEvent event, Collection<String> userIds) {
        if (!isNotification(event) || userIds.isEmpty()) {
            return List.of();
        }
        return send(event, null, userIds.stream().map(userId -> recipient(userId, NotificationResult.OFFLINE, 0)).toList());
    }

    /** Reports what gateway {@code gateway} did: how many sessions of each recipient it handed the notification to. */
    public List<Sent> pushed(ChatMessageEvent event, int gateway, Map<String, Integer> sessionsPerRecipient) {
        if (!isNotification(event) || sessionsPerRecipient.isEmpty()) {
            return List.of();
        }
        List<RecipientOutcome> recipients = new ArrayList<>(sessionsPerRecipient.size());
        sessionsPerRecipient.forEach((userId, sessions) -> recipients.add(sessions > 0
                ? recipient(userId, NotificationResult.DELIVERED, sessions)
                : recipient(userId, NotificationResult.CONNECTION_LOST, 0)));
        return send(event, gateway, recipients);
    }

    /**
     * Returns once the broker has acknowledged every one of {@code sent}. A send that failed - the
     * producer has retried it for its {@code delivery.timeout.ms} already - is sent again, with
     * backoff up to 30 s, until it is acknowledged: the caller must not commit the records these
     * outcomes report on before, and cannot have them reported again, because they were pushed
     * already.
     *
     * @throws InterruptedException when the thread is interrupted (a shutdown); the caller then
     *                              commits nothing, and the records are read again after a restart
     */
    public void awaitAcknowledged(List<Sent> sent) throws InterruptedException {
        List<Sent> pending = sent;
        Duration wait = FIRST_RESEND_WAIT;
        while (!pending.isEmpty()) {
            List<Sent> failed = new ArrayList<>();
            Throwable lastFailure = null;
            for (Sent outcome : pending) {
                try {
                    outcome.acknowledged().get();
                } catch (ExecutionException e) {
                    failed.add(outcome);
                    lastFailure = e.getCause();
                }
            }
            if (failed.isEmpty()) {
                return;
            }
            log.warn("{} notification outcome records were not acknowledged; sending them again in {} ms: {}",
                    failed.size(), wait.toMillis(), String.valueOf(lastFailure));
            meters.counter("switchboard.webhooks.notification.outcomes.resent").increment(failed.size());
            Thread.sleep(wait);
            pending = failed.stream().map(outcome -> send(outcome.record())).toList();
            wait = wait.multipliedBy(2).compareTo(LONGEST_RESEND_WAIT) > 0 ? LONGEST_RESEND_WAIT : wait.multipliedBy(2);
        }
    }

    private List<Sent> send(ChatMessageEvent event, Integer gateway, List<RecipientOutcome> recipients) {
        String key = Topics.conversationKey(event.getAppId(), event.getConversationId());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Sent> sent = new ArrayList<>();
        for (int from = 0; from < recipients.size(); from += RECIPIENTS_PER_RECORD) {
            NotificationOutcome outcome = NotificationOutcome.newBuilder()
                    .setAppId(event.getAppId())
                    .setConversationId(event.getConversationId())
                    .setEventId(event.getEventId())
                    .setSeq(event.getSeq())
                    .setMessageId(event.getMessage().getMessageId())
                    .setOrigin(event.getMessage().getOrigin())
                    .setGateway(gateway)
                    .setOccurredAt(now)
                    .setRecipients(List.copyOf(recipients.subList(from, Math.min(from + RECIPIENTS_PER_RECORD, recipients.size()))))
                    .build();
            sent.add(send(new ProducerRecord<>(Topics.PUSH_NOTIFICATION_OUTCOMES.name(), key, outcome)));
        }
        return sent;
    }

    private Sent send(ProducerRecord<String, Object> record) {
        CompletableFuture<?> acknowledged;
        try {
            acknowledged = kafka.send(record);
        } catch (RuntimeException e) {   // no metadata within max.block.ms, or the value could not be serialized
            acknowledged = CompletableFuture.failedFuture(e);
        }
        return new Sent(record, acknowledged);
    }

    private static RecipientOutcome recipient(String userId, NotificationResult result, int devices) {
        return RecipientOutcome.newBuilder().setUserId(userId).setStatus(result).setDevices(devices).build();
    }
}
