package io.switchboard.message;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RoutingKafkaPostgresTests extends ServiceIntegrationTest {

    @BeforeEach
    void salesWinsExists() {
        TestApps.active(appId);
        TestApps.active("other-app");
        TestMembership.group(appId, "sales-wins", "Sales wins", List.of("alice", "bob"));
    }

    @Test
    void dealWonBecomesNotificationWithSeqOneStoredAndPublished() {
        TestProducers.sendAvro(Topics.INTEGRATION_EVENTS.name(), "e1", dealWon("evt-1", "ACME renewal"));

        ChatMessageEvent published = awaitChatMessage(1);
        assertThat(published.getMessage().getText()).isEqualTo("Deal won: ACME renewal (12000 EUR), closed by carol");
        assertThat(published.getMessage().getOrigin().getEventId()).isEqualTo("evt-1");

        TestHttp.Response history = history("alice");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().get("messages")).hasSize(1);
        assertThat(history.json().get("messages").get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(history.json().get("messages").get(0).get("text").asString()).contains("ACME renewal");
    }

    @Test
    void redeliveredEventYieldsNoSecondNotification() {
        TestProducers.sendAvro(Topics.INTEGRATION_EVENTS.name(), "e", dealWon("evt-dup", "First"));
        TestProducers.sendAvro(Topics.INTEGRATION_EVENTS.name(), "e", dealWon("evt-dup", "First again"));
        TestProducers.sendAvro(Topics.INTEGRATION_EVENTS.name(), "e", dealWon("evt-next", "Second"));

        awaitChatMessage(2);
        List<String> texts = history("bob").json().get("messages").valueStream()
                .map(m -> m.get("seq").asLong() + ":" + m.get("text").asString()).toList();
        assertThat(texts).hasSize(2);
        assertThat(texts.get(0)).startsWith("1:Deal won: First (");
        assertThat(texts.get(1)).startsWith("2:Deal won: Second (");
    }

    @Test
    void malformedRecordIsDeadLetteredWithReasonAndTheNextEventStillArrives() {
        TestProducers.sendRaw(Topics.INTEGRATION_EVENTS.name(), "garbage", "not avro at all".getBytes(StandardCharsets.UTF_8));
        TestProducers.sendAvro(Topics.INTEGRATION_EVENTS.name(), "e2", dealWon("evt-after-garbage", "Globex"));

        List<ConsumerRecord<String, byte[]>> dead = TopicProbe.awaitRawRecord(Topics.INTEGRATION_EVENTS_DLT.name(),
                r -> "garbage".equals(r.key()));
        ConsumerRecord<String, byte[]> record = dead.stream().filter(r -> "garbage".equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
        assertThat(header(record, DeadLetters.REASON_HEADER)).isEqualTo("malformed-record");
        assertThat(header(record, "kafka_dlt-original-topic")).isEqualTo(Topics.INTEGRATION_EVENTS.name());
        assertThat(header(record, "kafka_dlt-exception-message")).isNotBlank();

        assertThat(awaitChatMessage(1).getMessage().getText()).contains("Globex");
    }

    @Test
    void eventForAConversationTheAppDoesNotHaveIsDeadLettered() {
        BusinessEvent foreign = dealWon("evt-foreign", "Initech");
        foreign.setAppId("app-without-sales-wins-" + UUID.randomUUID());

        TestProducers.sendAvro(Topics.INTEGRATION_EVENTS.name(), "foreign", foreign);

        List<ConsumerRecord<String, byte[]>> dead = TopicProbe.awaitRawRecord(Topics.INTEGRATION_EVENTS_DLT.name(),
                r -> "foreign".equals(r.key()));
        assertThat(header(dead.stream().filter(r -> "foreign".equals(r.key())).findFirst().orElseThrow(),
                DeadLetters.REASON_HEADER)).isEqualTo("unknown-conversation");
    }

    @Test
    void historyIsOnlyForMembersOfTheApp() {
        assertThat(history("mallory").status()).isEqualTo(404);
        assertThat(history("mallory").text("code")).isEqualTo("conversation-not-found");
        TestHttp.Response otherApp = new TestHttp("http://127.0.0.1:" + port).get(
                "/v1/conversations/sales-wins/messages", bearer(tokens.userToken("other-app", "alice", "messages:read")));
        assertThat(otherApp.status()).isEqualTo(404);
    }

    private ChatMessageEvent awaitChatMessage(long seq) {
        List<ConsumerRecord<String, ChatMessageEvent>> records = TopicProbe.awaitRecord(Topics.CHAT_MESSAGES.name(),
                r -> r.value().getAppId().equals(appId) && r.value().getSeq() == seq);
        return records.stream().filter(r -> r.value().getAppId().equals(appId) && r.value().getSeq() == seq)
                .findFirst().orElseThrow().value();
    }

    private TestHttp.Response history(String userId) {
        TestHttp http = new TestHttp("http://127.0.0.1:" + port);
        String token = bearer(tokens.userToken(appId, userId, "messages:read"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !userId.equals("alice") && !userId.equals("bob")
                || http.get("/v1/conversations/sales-wins/messages", token).status() == 200);
        return http.get("/v1/conversations/sales-wins/messages", token);
    }

    private BusinessEvent dealWon(String eventId, String dealName) {
        return BusinessEvent.newBuilder()
                .setEventId(eventId).setAppId(appId).setSource("crm").setEventType("deal.won")
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D-" + eventId).setDisplayName(dealName).build())
                .setActor("carol")
                .setPayload(Map.of("amount", 12000L, "currency", "EUR"))
                .build();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
