package io.switchboard.push.webhooks.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.WebhookProperties;
import io.switchboard.push.webhooks.endpoints.Endpoint;
import io.switchboard.push.webhooks.endpoints.EndpointStore;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns events into deliveries: one per enabled endpoint of the event's app that subscribes to its
 * type, was registered before it happened, and - for message events - whose bot user is a member
 * of the conversation (as the membership view knows it when the event is recorded) and did not
 * send the message itself. Deliveries are durable once this returns (its caller commits the
 * source's offsets only then); recording the same event again adds nothing.
 */
@Component
public class EventRecorder {

    private final EndpointStore endpoints;
    private final DeliveryQueue queue;
    private final MembershipView membership;
    private final JsonMapper json;
    private final DispatchSignal signal;
    private final MeterRegistry meters;
    private final int attemptLimit;

    EventRecorder(EndpointStore endpoints, DeliveryQueue queue, MembershipView membership, JsonMapper json,
                  DispatchSignal signal, MeterRegistry meters, WebhookProperties properties) {
        this.endpoints = endpoints;
        this.queue = queue;
        this.membership = membership;
        this.json = json;
        this.signal = signal;
        this.meters = meters;
        this.attemptLimit = properties.maxAttempts();
    }

    /** Records the deliveries of a batch of events (one endpoint query for the batch); returns how many it recorded. */
    @Transactional
    public int record(List<WebhookEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        Set<String> apps = events.stream().map(WebhookEvent::appId).collect(Collectors.toSet());
        Map<String, List<Endpoint>> byApp = endpoints.enabledOf(apps).stream()
                .collect(Collectors.groupingBy(Endpoint::appId));
        List<NewDelivery> deliveries = new ArrayList<>();
        for (WebhookEvent event : events) {
            byte[] body = null;
            for (Endpoint endpoint : byApp.getOrDefault(event.appId(), List.of())) {
                if (hears(endpoint, event)) {
                    body = body != null ? body : body(event);
                    deliveries.add(new NewDelivery(event.appId(), endpoint.endpointId(), event.eventId(), event.type(), body));
                }
            }
        }
        if (!deliveries.isEmpty()) {
            queue.insertAll(deliveries, attemptLimit, Instant.now());
            meters.counter("switchboard.webhooks.deliveries.recorded").increment(deliveries.size());
            signal.wake();
        }
        return deliveries.size();
    }

    /** Records one event for one endpoint, whatever it subscribes to (a ping the app asked for). */
    @Transactional
    public void recordFor(Endpoint endpoint, WebhookEvent event) {
        queue.insertAll(List.of(new NewDelivery(event.appId(), endpoint.endpointId(), event.eventId(), event.type(),
                body(event))), attemptLimit, Instant.now());
        meters.counter("switchboard.webhooks.deliveries.recorded").increment();
        signal.wake();
    }

    private boolean hears(Endpoint endpoint, WebhookEvent event) {
        if (!endpoint.subscribesTo(event.type()) || event.occurredAt().isBefore(endpoint.createdAt())) {
            return false;
        }
        if (!event.type().isMessageEvent()) {
            return true;
        }
        String bot = endpoint.botUserId();
        boolean ownMessage = bot.equals(event.senderId()) || endpoint.appId().equals(event.senderId());
        return !ownMessage && membership.isMember(event.appId(), event.conversationId(), bot);
    }

    private byte[] body(WebhookEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.eventId());
        body.put("type", event.type().wireName());
        body.put("appId", event.appId());
        body.put("occurredAt", event.occurredAt().toString());
        body.put("data", event.data());
        return json.writeValueAsBytes(body);
    }
}
