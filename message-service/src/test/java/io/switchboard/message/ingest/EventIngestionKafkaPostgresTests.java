package io.switchboard.message.ingest;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;
import tools.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.switchboard.message.ingest.PostedEvents.ticketEscalated;
import static io.switchboard.message.ingest.PostedEvents.ticketEscalatedAsPublished;
import static io.switchboard.message.ingest.PostedEvents.withField;
import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Events posted over HTTP land on integration.events (real broker and registry) exactly as a Kafka producer's would. */
class EventIngestionKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    private ConsumerFactory<String, Object> serviceConsumers;

    @BeforeEach
    void appsExist() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
    }

    @Test
    void postedEventLandsOnIntegrationEventsAsTheSameBusinessEvent() {
        String eventId = "ticket-" + UUID.randomUUID();

        TestHttp.Response response = http().postJson("/v1/events", app(appId), ticketEscalated(eventId));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.text("eventId")).isEqualTo(eventId);
        assertThat(response.text("topic")).isEqualTo(Topics.INTEGRATION_EVENTS.name());
        ConsumerRecord<String, BusinessEvent> record = integrationEvents().awaitEvent(eventId);
        assertThat(record.partition()).isEqualTo(response.json().get("partition").asInt());
        assertThat(record.offset()).isEqualTo(response.json().get("offset").asLong());
        assertThat(record.value()).isEqualTo(ticketEscalatedAsPublished(eventId, appId));
    }

    @Test
    void eventBelongsToTheTokensAppAndAnotherAppCannotPostForIt() {
        String eventId = "foreign-" + UUID.randomUUID();
        Map<String, Object> forThisApp = withField(ticketEscalated(eventId), "appId", appId);

        TestHttp.Response foreign = http().postJson("/v1/events", app(otherAppId), forThisApp);
        TestHttp.Response own = http().postJson("/v1/events", app(otherAppId), ticketEscalated(eventId));

        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(foreign.text("code")).isEqualTo("forbidden");
        assertThat(own.status()).isEqualTo(202);
        assertThat(integrationEvents().awaitEvent(eventId).value().getAppId()).isEqualTo(otherAppId);
    }

    @Test
    void userTokenIsRefused() {
        TestHttp.Response response = http().postJson("/v1/events",
                bearer(tokens.userToken(appId, "alice", "events:ingest")), ticketEscalated("by-user"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.text("code")).isEqualTo("forbidden");
    }

    @Test
    void invalidEventsAreRefusedWithValidationFailedNamingTheField() {
        Map<String, Object> tooManyKeys = new HashMap<>();
        IntStream.range(0, 201).forEach(i -> tooManyKeys.put("k" + i, i));
        Map<String, String> entityWithoutId = Map.of("type", "ticket");

        assertRefused(ticketEscalated(null), "eventId");
        assertRefused(ticketEscalated("x".repeat(201)), "eventId");
        assertRefused(ticketEscalated("has space"), "eventId");
        assertRefused(withField(ticketEscalated("e"), "source", " "), "source");
        assertRefused(withField(ticketEscalated("e"), "occurredAt", "2026-11-27T10:15:30"), "occurredAt");
        assertRefused(withField(ticketEscalated("e"), "occurredAt", "yesterday"), "occurredAt");
        assertRefused(withField(ticketEscalated("e"), "entity", entityWithoutId), "entity.id");
        assertRefused(withField(ticketEscalated("e"), "entity", Map.of("type", "t", "id", "1", "url", "javascript:x")),
                "entity.url");
        assertRefused(withField(ticketEscalated("e"), "concerns", List.of("alice", "")), "concerns[1]");
        assertRefused(withField(ticketEscalated("e"), "payload", Map.of("ids", List.of(1, 2))), "payload.ids");
        assertRefused(withField(ticketEscalated("e"), "payload", Map.of("lines", List.of(Map.of("a", "b")))),
                "payload.lines");
        assertRefused(withField(ticketEscalated("e"), "payload", Map.of("huge", BigInteger.TEN.pow(30))), "payload.huge");
        assertRefused(withField(ticketEscalated("e"), "payload",
                Map.of("customer", Map.of("name", "A"), "customer.name", "B")), "payload.customer.name");
        assertRefused(withField(ticketEscalated("e"), "payload", tooManyKeys), "payload");
        assertRefused(withField(ticketEscalated("e"), "payload", Map.of("notes", "n".repeat(70_000))), "payload");
    }

    @Test
    void unreadableBodyIsAMalformedRequest() {
        TestHttp.Response response = http().postJson("/v1/events", app(appId), "{\"eventId\": ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("code")).isEqualTo("malformed-request");
    }

    @Test
    void batchPublishesEveryEventInOrderWithItsOwnOutcome() {
        List<String> eventIds = List.of("b1-" + UUID.randomUUID(), "b2-" + UUID.randomUUID(), "b3-" + UUID.randomUUID());

        TestHttp.Response response = http().postJson("/v1/events/batch", app(appId),
                Map.of("events", eventIds.stream().map(PostedEvents::ticketEscalated).toList()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> results = response.json().get("results").valueStream().toList();
        assertThat(results).extracting(r -> r.get("status").asInt()).containsExactly(202, 202, 202);
        assertThat(results).extracting(r -> r.get("event").get("eventId").asString()).isEqualTo(eventIds);
        for (String eventId : eventIds) {
            assertThat(integrationEvents().awaitEvent(eventId).value().getAppId()).isEqualTo(appId);
        }
    }

    @Test
    void batchWithOneInvalidEventPublishesNothing() {
        String eventId = "refused-batch-" + UUID.randomUUID();
        Map<String, Object> invalid = withField(ticketEscalated("b-invalid"), "occurredAt", "soon");

        TestHttp.Response refused = http().postJson("/v1/events/batch", app(appId),
                Map.of("events", List.of(ticketEscalated(eventId), invalid)));
        TestHttp.Response marker = http().postJson("/v1/events", app(appId),
                withField(ticketEscalated(eventId), "eventType", "marker"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("code")).isEqualTo("validation-failed");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("events[1].occurredAt");
        assertThat(marker.status()).isEqualTo(202);
        // one key, one partition: had the refused batch published its first event, it would come before the marker
        assertThat(integrationEvents().awaitEvents(eventId, event -> event.getEventType().equals("marker")))
                .extracting(r -> r.value().getEventType()).containsExactly("marker");
    }

    @Test
    void batchOfMoreThanAHundredEventsIsRefused() {
        List<Map<String, Object>> events = IntStream.range(0, 101).mapToObj(i -> ticketEscalated("many-" + i)).toList();

        TestHttp.Response response = http().postJson("/v1/events/batch", app(appId), Map.of("events", events));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("code")).isEqualTo("validation-failed");
    }

    @Test
    void openApiDocumentsAcceptanceAndUnavailability() {
        JsonNode paths = http().get("/v3/api-docs", null).json().get("paths");

        for (String path : List.of("/v1/events", "/v1/events/batch")) {
            assertThat(paths.get(path).get("post").get("responses").propertyNames()).as(path).contains("400", "403", "503");
        }
        assertThat(paths.get("/v1/events").get("post").get("responses").propertyNames()).contains("202");
    }

    private void assertRefused(Map<String, Object> event, String field) {
        TestHttp.Response response = http().postJson("/v1/events", app(appId), event);
        assertThat(response.status()).as(field + ": " + response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("code")).isEqualTo("validation-failed");
        assertThat(response.json().get("errors").valueStream().map(e -> e.get("field").asString()))
                .as(response.body()).contains(field);
    }

    private IntegrationEventsProbe integrationEvents() {
        return new IntegrationEventsProbe(serviceConsumers);
    }

    private String app(String app) {
        return bearer(tokens.appToken(app, "events:ingest"));
    }
}
