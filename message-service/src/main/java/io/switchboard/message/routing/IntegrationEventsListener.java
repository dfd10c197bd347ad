package io.switchboard.message.routing;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.message.ingest.PayloadLimits;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.kafka.PerPollCommits;
import io.switchboard.platform.kafka.PollBatch;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Consumes {@code integration.events}, and the per-source topics matched by
 * {@code switchboard.routing.topic-pattern}, with {@code switchboard.routing.concurrency} consumers,
 * a poll at a time: {@link Router#routeAll} routes the poll's events in one transaction, then the
 * records it could not route or read go to {@code <topic>.dlt} with the reason (an event whose
 * payload exceeds {@link PayloadLimits} is not routed at all: {@code payload-too-large}), then the offsets
 * are committed. A crash in between redelivers the poll, and the router recognizes each event by
 * its id. An outage (database, registry, membership-service) stops the batch where it is and the
 * error handler retries from there ({@link PollBatch}); after any other failure of a whole batch
 * its events are routed again one at a time, to pin the failure on the one record that causes it.
 */
@Component
class IntegrationEventsListener {

    private static final Logger log = LoggerFactory.getLogger(IntegrationEventsListener.class);

    private final Router router;
    private final DeadLetters deadLetters;
    private final PayloadLimits payloadLimits;
    private final JsonMapper json;

    IntegrationEventsListener(Router router, DeadLetters deadLetters, PayloadLimits payloadLimits, JsonMapper json) {
        this.router = router;
        this.deadLetters = deadLetters;
        this.payloadLimits = payloadLimits;
        this.json = json;
    }

    @KafkaListener(id = "integration-events", topicPattern = "${switchboard.routing.topic-pattern}",
            groupId = "message-service-routing", containerFactory = PerPollCommits.FACTORY,
            concurrency = "${switchboard.routing.concurrency}", batch = "true")
    void onBusinessEvents(List<ConsumerRecord<String, BusinessEvent>> records, Consumer<?, ?> consumer) {
        PollBatch<BusinessEvent> batch = new PollBatch<>(records);
        List<Integer> readable = withinLimits(batch);
        if (!readable.isEmpty()) {
            try {
                route(batch, readable);
            } catch (RuntimeException e) {
                if (DeadLetters.isInfrastructureOutage(e) || readable.size() == 1) {
                    batch.stopAt(readable.getFirst(), e);
                } else {
                    log.warn("Routing a batch of {} events failed, routing them one at a time: {}", readable.size(),
                            e.toString());
                    routeOneByOne(batch, readable);
                }
            }
        }
        batch.finish(deadLetters, consumer);
    }

    /** The readable records; those over the payload limits are dead-lettered. */
    private List<Integer> withinLimits(PollBatch<BusinessEvent> batch) {
        List<Integer> withinLimits = new ArrayList<>();
        for (int i : batch.readable()) {
            List<PayloadLimits.Violation> violations = payloadLimits.violations(batch.record(i).value().getPayload(), json);
            if (violations.isEmpty()) {
                withinLimits.add(i);
            } else {
                batch.deadLetter(i, new UnprocessableRecordException("payload-too-large",
                        violations.stream().map(PayloadLimits.Violation::toString).collect(Collectors.joining("; "))));
            }
        }
        return withinLimits;
    }

    private void route(PollBatch<BusinessEvent> batch, List<Integer> indexes) {
        List<Router.Outcome> outcomes = router.routeAll(indexes.stream().map(i -> batch.record(i).value()).toList());
        for (int n = 0; n < indexes.size(); n++) {
            if (outcomes.get(n).deadLetter() != null) {
                batch.deadLetter(indexes.get(n), outcomes.get(n).deadLetter());
            }
        }
    }

    private void routeOneByOne(PollBatch<BusinessEvent> batch, List<Integer> readable) {
        for (int i : readable) {
            try {
                route(batch, List.of(i));
            } catch (RuntimeException e) {
                batch.stopAt(i, e);
                return;
            }
        }
    }
}
