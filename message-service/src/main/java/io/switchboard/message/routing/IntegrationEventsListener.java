package io.switchboard.message.routing;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code integration.events}, and the per-source topics matched by
 * {@code switchboard.routing.topic-pattern}, with {@code switchboard.routing.concurrency} consumers.
 * Offsets are committed after {@link Router#route} has committed the poll's events; a crash in
 * between redelivers them, and the router recognizes each by its id. Unreadable or unroutable records go to {@code <topic>.dlt} with the reason.
 */
@Component
class IntegrationEventsListener {

    private final Router router;

    IntegrationEventsListener(Router router) {
        this.router = router;
    }

    @KafkaListener(id = "integration-events", topicPattern = "${switchboard.routing.topic-pattern}",
            groupId = "message-service-routing", containerFactory = RoutingListenerConfiguration.FACTORY,
            concurrency = "${switchboard.routing.concurrency}")
    void onBusinessEvent(BusinessEvent event) {
        if (event == null) {
            throw new UnprocessableRecordException("missing-value", "The record has no value");
        }
        router.route(event);
    }
}
