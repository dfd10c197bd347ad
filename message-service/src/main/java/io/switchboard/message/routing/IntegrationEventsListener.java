package io.switchboard.message.routing;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.message.ingest.PayloadLimits;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.kafka.PerPollCommits;
import io.switchboard.platform.kafka.PollBatch;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import io.switchboard.schemas.Topics;
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
 * Consumes {@code integration.events} and every app's own {@code integration.events.<appId>}
 * ({@link Topics#INTEGRATION_EVENTS_PATTERN}; a new app's topic is found within
 * {@code switchboard.routing.topic-discovery-ms}), with {@code switchboard.routing.concurrency}
 * consumers, a poll at a time: {@link Router#routeAll} routes the poll's events in one transaction,
 * then the records it could not route or read go to {@code <topic>.dlt} with the reason, then the
 * offsets are committed. Not routed at all: an event on an app's own topic that names another app
 * ({@code tenant-mismatch}: only that app's credentials can write the topic, so the topic says whose
 * the event is), and one whose payload exceeds {@link PayloadLimits} ({@code payload-too-large}). A crash in between redelivers the poll, and the router recognizes each event by
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

    @KafkaListener(id = "integration-events", topicPattern = "#{T(io.switchboard.schemas.Topics).INTEGRATION_EVENTS_PATTERN}",
            properties = "metadata.max.age.ms=${switchboard.routing.topic-discovery-ms}",
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

    /** The readable records; those of another tenant or over the payload limits are dead-lettered. */
    private List<Integer> withinLimits(PollBatch<BusinessEvent> batch) {
        List<Integer> withinLimits = new ArrayList<>();
        for (int i : batch.readable()) {
            ConsumerRecord<String, BusinessEvent> record = batch.record(i);
            String topicApp = Topics.appOfTopic(record.topic());
            if (topicApp != null && !topicApp.equals(record.value().getAppId())) {
                batch.deadLetter(i, new UnprocessableRecordException("tenant-mismatch", "The event names app "
                        + record.value().getAppId() + " but was written on the topic of app " + topicApp));
                continue;
            }
            List<PayloadLimits.Violation> violations = payloadLimits.violations(record.value().getPayload(), json);
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
