package io.switchboard.message.ingest;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.core.ConsumerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reads integration.events from the start with message-service's own consumer settings (Apicurio
 * serde, specific records). Other tests put unreadable records on the topic on purpose; those
 * come back without a value here, as they do to routing, instead of stopping the read.
 */
public final class IntegrationEventsProbe {

    private final ConsumerFactory<String, Object> serviceConsumers;

    public IntegrationEventsProbe(ConsumerFactory<String, Object> serviceConsumers) {
        this.serviceConsumers = serviceConsumers;
    }

    /** The first record keyed {@code eventId}, which must be a BusinessEvent. */
    public ConsumerRecord<String, BusinessEvent> awaitEvent(String eventId) {
        return awaitEvents(eventId, event -> true).getFirst();
    }

    /** Every record keyed {@code key}, in partition order, read until one of them matches {@code last}. */
    @SuppressWarnings("unchecked")
    public List<ConsumerRecord<String, BusinessEvent>> awaitEvents(String key, Predicate<BusinessEvent> last) {
        List<ConsumerRecord<String, BusinessEvent>> found = new ArrayList<>();
        try (Consumer<String, Object> consumer = serviceConsumers.createConsumer("probe-" + UUID.randomUUID(), null)) {
            consumer.subscribe(List.of(Topics.INTEGRATION_EVENTS.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        assertThat(record.value()).as("value of %s", key).isInstanceOf(BusinessEvent.class);
                        found.add((ConsumerRecord<String, BusinessEvent>) (ConsumerRecord<String, ?>) record);
                    }
                }
                return found.stream().anyMatch(record -> last.test(record.value()));
            });
        }
        return found;
    }
}
