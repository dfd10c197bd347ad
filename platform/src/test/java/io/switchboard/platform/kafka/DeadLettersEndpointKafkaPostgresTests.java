package io.switchboard.platform.kafka;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.platform.kafka.DeadLetterTestKit.header;
import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code deadletters} endpoint on a separate management port, as operators enable it, in a
 * service on a real broker, registry and PostgreSQL: a rejected event is counted in the metric,
 * listed, and replayed after the fix; the application port does not serve it to app tokens.
 */
@TestPropertySource(properties = {
        DeadLettersTestApplication.PROPERTIES,
        "management.server.port=0",
        "management.endpoints.web.exposure.include=health,prometheus,deadletters"})
class DeadLettersEndpointKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    DeadLettersTestApplication.EventsOfKnownApps events;

    @Test
    void rejectedEventIsCountedListedAndReplayedAfterTheFix() {
        String eventId = "evt-" + UUID.randomUUID();
        TestProducers.sendAvro(Topics.INTEGRATION_EVENTS.name(), eventId, dealWon(eventId));

        await().atMost(Duration.ofSeconds(30)).until(() -> management().get("/actuator/prometheus", null).body()
                .contains("reason=\"unknown-app\",topic=\"integration.events\""));
        assertThat(management().get("/actuator/prometheus", null).body())
                .containsPattern("switchboard_kafka_dead_letters_total\\{[^}]*reason=\"unknown-app\",topic=\"integration.events\"} 1\\.0");
        TestHttp.Response listed = management().get("/actuator/deadletters", null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("integration.events.dlt").get("unknown-app").asLong()).isEqualTo(1);

        TestHttp.Response dryRun = management().postJson("/actuator/deadletters",
                null, Map.of("topic", "integration.events", "reason", "unknown-app", "dryRun", true));
        assertThat(dryRun.status()).isEqualTo(200);
        assertThat(dryRun.json().get("selected").get(0).get("key").asString()).isEqualTo(eventId);
        String deadLetter = dryRun.json().get("selected").get(0).get("source").asString();
        assertThat(events.processed).isEmpty();

        events.knownApps.add(appId);
        TestHttp.Response replayed = management().postJson("/actuator/deadletters",
                null, Map.of("topic", "integration.events", "reason", "unknown-app", "since",
                        Instant.now().minus(1, ChronoUnit.HOURS).toString()));
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().get("selectedByReason").get("unknown-app").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !events.processed.isEmpty());
        ConsumerRecord<String, BusinessEvent> redriven = events.processed.getFirst();
        assertThat(redriven.value().getEventId()).isEqualTo(eventId);
        assertThat(header(redriven, DeadLetterReplay.REPLAYED_FROM_HEADER)).isEqualTo(deadLetter)
                .startsWith("integration.events.dlt/");
    }

    @Test
    void replayOfATopicWithoutDeadLettersIsABadRequest() {
        TestHttp.Response response = management().postJson("/actuator/deadletters", null, Map.of("topic", "auth.apps"));

        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void applicationPortDoesNotServeDeadLettersToAnAppToken() {
        TestApps.active(appId);
        String appToken = bearer(tokens.appToken(appId, "messages:admin"));

        assertThat(http().get("/actuator/deadletters", appToken).status()).isEqualTo(404);
        assertThat(http().postJson("/actuator/deadletters", appToken, Map.of("topic", "integration.events")).status())
                .isEqualTo(404);
    }

    private BusinessEvent dealWon(String eventId) {
        return BusinessEvent.newBuilder()
                .setEventId(eventId).setAppId(appId).setSource("crm").setEventType("deal.won")
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D-" + eventId).setDisplayName("ACME").build())
                .build();
    }
}
