package io.switchboard.platform.outbox;

import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outbox rows that can never be sent, on a real broker and PostgreSQL: one too large for the
 * broker and one whose type no longer exists are set aside after three attempts with their reason,
 * the rows behind them are published meanwhile, and an operator sees them in the deadletters
 * endpoint, the metric and readiness, and can replay them.
 */
@TestPropertySource(properties = OutboxTestApplication.PROPERTIES)
class OutboxDeadLettersKafkaPostgresTests extends ServiceIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    Outbox outbox;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void rowsThatCanNeverBeSentAreSetAsideAndTheRowsBehindThemFlow() {
        String before = "before-" + UUID.randomUUID();
        String tooLarge = "too-large-" + UUID.randomUUID();
        String behind = "behind-" + UUID.randomUUID();
        transactions.executeWithoutResult(tx -> {
            outbox.append(Topics.INTEGRATION_EVENTS, before, event(before, "small"));
            outbox.append(Topics.INTEGRATION_EVENTS, tooLarge, event(tooLarge, "x".repeat(2_000_000)));
            jdbc.sql("INSERT INTO outbox (topic, record_key, value_type, value_bytes) VALUES (?, ?, ?, ?)")
                    .params(Topics.INTEGRATION_EVENTS.name(), "undecodable", "io.switchboard.events.Gone", new byte[]{1, 2, 3})
                    .update();
            outbox.append(Topics.INTEGRATION_EVENTS, behind, event(behind, "small"));
        });

        TopicProbe.awaitRecord(Topics.INTEGRATION_EVENTS.name(), r -> r.key().equals(behind));
        await().atMost(WAIT).until(() -> jdbc.sql("SELECT count(*) FROM outbox_dead_letters WHERE record_key IN (?, ?)")
                .params(tooLarge, "undecodable").query(Long.class).single() == 2);
        assertThat(jdbc.sql("SELECT reason FROM outbox_dead_letters WHERE record_key = ?").param(tooLarge)
                .query(String.class).single()).isEqualTo("record-too-large");
        assertThat(jdbc.sql("SELECT attempts FROM outbox_dead_letters WHERE record_key = ?").param("undecodable")
                .query(Integer.class).single()).isEqualTo(3);

        JsonNode counts = management().get("/actuator/deadletters", null).json();
        assertThat(counts.get("outbox:integration.events").get("record-too-large").asLong()).isEqualTo(1);
        assertThat(counts.get("outbox:integration.events").get("undecodable").asLong()).isEqualTo(1);
        await().atMost(WAIT).until(() -> management().get("/actuator/prometheus", null).body().lines()
                .anyMatch(line -> line.startsWith("switchboard_outbox_dead_letters{") && line.endsWith(" 2.0")));
        TestHttp.Response readiness = management().get("/actuator/health/readiness", null);
        assertThat(readiness.json().get("components").get("outbox").get("details").get("deadLetters").asLong())
                .isEqualTo(2);

        TestHttp.Response dryRun = management().postJson("/actuator/deadletters", null,
                Map.of("topic", "outbox:integration.events", "reason", "undecodable", "dryRun", true));
        assertThat(dryRun.json().get("scanned").asLong()).isEqualTo(1);
        assertThat(management().postJson("/actuator/deadletters", null,
                Map.of("topic", "outbox:integration.events", "reason", "undecodable")).json().get("scanned").asLong()).isEqualTo(1);
        await().atMost(WAIT).until(() -> jdbc.sql("SELECT attempts FROM outbox_dead_letters WHERE record_key = ?")
                .param("undecodable").query(Integer.class).optional().isPresent());
    }

    private static BusinessEvent event(String eventId, String detail) {
        return BusinessEvent.newBuilder()
                .setEventId(eventId).setAppId("app-" + eventId).setSource("crm").setEventType("deal.won")
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D-1").setDisplayName(detail).build())
                .build();
    }
}
