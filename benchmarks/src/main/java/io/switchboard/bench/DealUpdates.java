package io.switchboard.bench;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The routing benchmark's upstream CRM: it publishes {@code deal.updated} events of one app on
 * {@code integration.events} (or the app's own topic) as upstream systems do, with a plain Kafka producer, the registry's
 * Avro serde and {@code acks=all} (every other setting is kafka-clients' default), and it brings
 * the rule that notifies each deal's owner.
 */
final class DealUpdates implements AutoCloseable {

    static final String RULE_ID = "crm-deal-updated";

    /** {@code deal.updated} from the CRM → the deal's owner ({@code payload.ownerId}), as a card with a link. */
    static final Map<String, Object> RULE = Map.of(
            "name", "Deal updates to the deal's owner",
            "match", Map.of("source", "crm", "eventTypes", List.of("deal.updated")),
            "targets", List.of(Map.of("type", "EVENT_FIELD", "field", "payload.ownerId")),
            "content", Map.of(
                    "text", "{{entity.displayName}} moved to {{payload.stage}}",
                    "card", Map.of(
                            "title", "{{entity.displayName}}",
                            "fields", List.of(
                                    Map.of("label", "Amount", "value", "{{payload.amount}} {{payload.currency}}"),
                                    Map.of("label", "Stage", "value", "{{payload.stage}}")),
                            "actions", List.of(Map.of("id", "open", "label", "Open in CRM", "url", "{{{entity.url}}}")))));

    private static final List<String> STAGES = List.of("Qualification", "Proposal", "Negotiation", "Closing");

    private final String appId;
    private final String topic;
    private final KafkaProducer<String, Object> producer;
    private final AtomicLong failedSends = new AtomicLong();

    /** On the shared {@code integration.events}, over the services' own listener. */
    DealUpdates(String appId, String bootstrapServers, String registryApi) {
        this(appId, Topics.INTEGRATION_EVENTS.name(), AvroProducers.create(bootstrapServers, registryApi));
    }

    /** On {@code topic}, the app's own, with a producer logged in with the app's Kafka credential. */
    DealUpdates(String appId, String topic, KafkaProducer<String, Object> producer) {
        this.appId = appId;
        this.topic = topic;
        this.producer = producer;
    }

    /**
     * Sends one update of deal {@code deal} owned by {@code ownerId} without waiting for the broker
     * (so a slow acknowledgement delays no later send); a failed send is counted.
     *
     * @param acknowledged told the serialized size of the record once the broker has it
     */
    void send(String eventId, String ownerId, long deal, java.util.function.IntConsumer acknowledged) {
        Callback callback = (metadata, error) -> {
            if (error != null) {
                failedSends.incrementAndGet();
            } else {
                acknowledged.accept(metadata.serializedValueSize());
            }
        };
        producer.send(new ProducerRecord<>(topic, eventId, event(eventId, ownerId, deal)), callback);
    }

    void send(String eventId, String ownerId, long deal) {
        send(eventId, ownerId, deal, size -> { });
    }

    /** Sends that the broker refused or that timed out. */
    long failedSends() {
        return failedSends.get();
    }

    private BusinessEvent event(String eventId, String ownerId, long deal) {
        String dealId = "D-" + (10_000 + deal);
        return BusinessEvent.newBuilder()
                .setEventId(eventId)
                .setAppId(appId)
                .setSource("crm")
                .setEventType("deal.updated")
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId(dealId)
                        .setDisplayName("Deal " + dealId + " Acme Corp renewal")
                        .setUrl("https://crm.example/deals/" + dealId).build())
                .setActor("crm-sync")
                .setConcerns(List.of(ownerId))
                .setPayload(Map.of("ownerId", ownerId, "amount", 1_000 + deal % 90_000, "currency", "EUR",
                        "stage", STAGES.get((int) (deal % STAGES.size()))))
                .build();
    }

    @Override
    public void close() {
        producer.close();
    }
}
