package io.switchboard.message.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.message.messages.Content;
import io.switchboard.message.messages.Message;
import io.switchboard.message.messages.Messages;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Turns business events into notifications. An event is routed at most once per app and
 * {@code eventId}: the event id is recorded in the transaction that stores its notifications, so
 * a redelivery (or a replay of the topic) yields nothing new.
 */
@Service
public class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final List<CompiledRoute> routes;
    private final Messages messages;
    private final MembershipView membership;
    private final JdbcClient jdbc;
    private final MeterRegistry meters;

    Router(RoutingProperties properties, Messages messages, MembershipView membership, JdbcClient jdbc,
           MeterRegistry meters) {
        this.routes = properties.routes().stream().map(CompiledRoute::new).toList();
        this.messages = messages;
        this.membership = membership;
        this.jdbc = jdbc;
        this.meters = meters;
    }

    private record CompiledRoute(RoutingProperties.RouteDefinition definition, NotificationTemplate text) {
        CompiledRoute(RoutingProperties.RouteDefinition definition) {
            this(definition, new NotificationTemplate(definition.text()));
        }

        boolean matches(BusinessEvent event) {
            return definition.source().equals(event.getSource()) && definition.eventType().equals(event.getEventType());
        }
    }

    /**
     * Routes one event.
     *
     * @return the notifications it produced (empty if no route matched or it was routed before)
     * @throws UnprocessableRecordException when a matching route targets a conversation that does
     *                                      not exist in the event's app
     */
    @Transactional
    public List<Message> route(BusinessEvent event) {
        List<CompiledRoute> matching = routes.stream().filter(r -> r.matches(event)).toList();
        if (matching.isEmpty()) {
            meters.counter("switchboard.routing.events", "outcome", "no-route").increment();
            return List.of();
        }
        if (!firstDelivery(event)) {
            meters.counter("switchboard.routing.events", "outcome", "duplicate").increment();
            log.debug("Event {} of app {} was routed before", event.getEventId(), event.getAppId());
            return List.of();
        }
        List<Message> notifications = matching.stream().map(route -> notify(route, event)).toList();
        meters.counter("switchboard.routing.events", "outcome", "routed").increment();
        return notifications;
    }

    private Message notify(CompiledRoute route, BusinessEvent event) {
        String conversationId = route.definition().conversationId();
        if (membership.findFresh(event.getAppId(), conversationId).isEmpty()) {
            throw new UnprocessableRecordException("unknown-conversation", "Route " + route.definition().id()
                    + " targets conversation " + conversationId + ", which app " + event.getAppId() + " does not have");
        }
        return messages.append(new Message.Draft(event.getAppId(), conversationId, null, "system:" + event.getSource(),
                Message.SenderType.SYSTEM, Content.text(route.text().render(event)), null, null,
                new Message.Origin(event.getEventId(), event.getSource(), event.getEventType(), route.definition().id())));
    }

    private boolean firstDelivery(BusinessEvent event) {
        return jdbc.sql("INSERT INTO routed_events (app_id, event_id, routed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(event.getAppId(), event.getEventId(), OffsetDateTime.now(ZoneOffset.UTC))
                .update() == 1;
    }
}
