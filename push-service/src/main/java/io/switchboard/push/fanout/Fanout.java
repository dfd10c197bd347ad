package io.switchboard.push.fanout;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.push.PushDelivery;
import io.switchboard.platform.kafka.FreshnessBudget;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.push.PushProperties;
import io.switchboard.push.RecentIds;
import io.switchboard.push.views.PresenceView;
import io.switchboard.push.webhooks.events.NotificationOutcomes;
import io.switchboard.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The fanout stage: for a chat event, the members of its conversation (membership view) are
 * grouped by the gateways that hold their sessions (presence view), and one
 * {@code push.deliveries} record per gateway goes to that gateway's partition. Offline members get
 * nothing; they catch up from history when they reconnect. For a routed notification they are
 * reported on {@code push.notification.outcomes} ({@link NotificationOutcomes}), acknowledged
 * together with the deliveries.
 */
@Service
class Fanout {

    private static final Logger log = LoggerFactory.getLogger(Fanout.class);
    private static final long SEND_TIMEOUT_SECONDS = 30;
    private static final Duration PRESENCE_LOAD_WAIT = Duration.ofSeconds(10);

    private final MembershipView membership;
    private final PresenceView presence;
    private final KafkaTemplate<String, Object> kafka;
    private final MeterRegistry meters;
    private final NotificationOutcomes notificationOutcomes;
    private final int readReceiptFanoutLimit;
    /** Event ids fanned out lately; a republished event (same id) is not delivered twice. */
    private final RecentIds seen;

    Fanout(MembershipView membership, PresenceView presence, KafkaTemplate<String, Object> kafka, MeterRegistry meters,
           PushProperties properties, NotificationOutcomes notificationOutcomes) {
        this.readReceiptFanoutLimit = properties.readReceiptFanoutLimit();
        this.seen = new RecentIds(properties.dedupeWindow());
        this.membership = membership;
        this.presence = presence;
        this.kafka = kafka;
        this.meters = meters;
        this.notificationOutcomes = notificationOutcomes;
    }

    /**
     * Who sees the event: every member; only its actor for a message hidden (deleted) for them
     * alone, and for a read position in a conversation larger than the receipt fanout limit.
     */
    private Collection<String> audience(ChatMessageEvent event, ConversationState conversation) {
        boolean actorOnly = event.getType() == ChatEventType.MESSAGE_HIDDEN
                || event.getType() == ChatEventType.READ && conversation.getMemberCount() > readReceiptFanoutLimit;
        if (actorOnly) {
            return event.getActorId() == null ? List.of() : List.of(event.getActorId());
        }
        return membership.memberIds(conversation);
    }

    /**
     * Publishes the deliveries (and notification outcomes) of a poll's events and returns once the
     * broker has them all. An event counts as fanned out (and a copy of it later is dropped) only
     * then: if a send fails, the poll is retried whole, the gateways drop the deliveries they
     * already pushed, and the webhooks the outcomes they already have.
     */
    void fanoutAll(List<ChatMessageEvent> events) throws Exception {
        // before the presence view has loaded, every member would look offline and get nothing:
        // a push-service that just started waits (the poll is retried as an outage, never dropped)
        presence.awaitCaughtUp(PRESENCE_LOAD_WAIT);
        List<CompletableFuture<?>> deliveries = new ArrayList<>();
        List<CompletableFuture<?>> outcomes = new ArrayList<>();
        Set<String> fannedOut = new LinkedHashSet<>();
        // one wait for the whole poll for conversations the view does not know yet, not one per event
        FreshnessBudget freshness = MembershipView.freshnessBudget();
        for (ChatMessageEvent event : events) {
            String id = Topics.conversationKey(event.getAppId(), event.getConversationId()) + "/" + event.getEventId();
            if (seen.contains(id) || !fannedOut.add(id)) {
                meters.counter("switchboard.fanout.events", "outcome", "duplicate").increment();
                continue;
            }
            send(event, deliveries, outcomes, freshness);
        }
        List<CompletableFuture<?>> sends = new ArrayList<>(deliveries);
        sends.addAll(outcomes);
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        fannedOut.forEach(seen::firstTime);
        meters.counter("switchboard.fanout.deliveries").increment(deliveries.size());
    }

    /**
     * Sends one event's deliveries, one per gateway that holds a session of a recipient, and for a
     * notification the outcome of its offline recipients (a failed send retries the poll, which
     * reports them again).
     */
    private void send(ChatMessageEvent event, List<CompletableFuture<?>> deliveries, List<CompletableFuture<?>> outcomes,
                      FreshnessBudget freshness) {
        Optional<ConversationState> conversation = membership.findFresh(event.getAppId(), event.getConversationId(),
                freshness);
        if (conversation.isEmpty()) {
            log.warn("No membership for conversation {} of app {}; event {} reaches nobody",
                    event.getConversationId(), event.getAppId(), event.getEventId());
            meters.counter("switchboard.fanout.events", "outcome", "unknown-conversation").increment();
            return;
        }
        Map<Integer, List<String>> recipientsByGateway = new TreeMap<>();
        List<String> offline = new ArrayList<>();
        for (String userId : audience(event, conversation.get())) {
            Set<Integer> gateways = presence.gateways(event.getAppId(), userId);
            if (gateways.isEmpty()) {
                offline.add(userId);
            }
            for (int gateway : gateways) {
                recipientsByGateway.computeIfAbsent(gateway, g -> new ArrayList<>()).add(userId);
            }
        }
        notificationOutcomes.offline(event, offline).forEach(outcome -> outcomes.add(outcome.acknowledged()));
        String key = Topics.conversationKey(event.getAppId(), event.getConversationId());
        recipientsByGateway.forEach((gateway, recipients) -> deliveries.add(kafka.send(Topics.PUSH_DELIVERIES.name(), gateway, key,
                PushDelivery.newBuilder()
                        .setDeliveryId(event.getEventId() + "@" + gateway)
                        .setGateway(gateway)
                        .setRecipients(recipients)
                        .setEvent(event)
                        .build())));
    }
}
