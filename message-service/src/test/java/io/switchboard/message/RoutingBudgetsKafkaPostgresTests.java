package io.switchboard.message;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.SystemConversations;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.switchboard.message.RoutingKafkaPostgresTests.match;
import static io.switchboard.message.RoutingKafkaPostgresTests.rule;
import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one app's rules and events may cost the routing every app shares: a template that would
 * explode is refused when saved if that can be told, else its event is dead-lettered at once and
 * the partition moves on; payloads over the limits never reach a template, on either path.
 */
class RoutingBudgetsKafkaPostgresTests extends ServiceIntegrationTest {

    private static final String FOUR_DEEP = "{{#payload.items}}{{#payload.items}}{{#payload.items}}{{#payload.items}}x"
            + "{{/payload.items}}{{/payload.items}}{{/payload.items}}{{/payload.items}}";
    private static final List<String> HUNDRED = IntStream.range(0, 100).mapToObj(i -> "i" + i).toList();

    @BeforeEach
    void appAndUsers() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
        TestMembership.user(appId, "bob");
        TestMembership.systemConversation(appId, "bob", "crm");
        TestMembership.user(otherAppId, "olga");
        TestMembership.systemConversation(otherAppId, "olga", "crm");
    }

    @Test
    void anExplodingTemplateDeadLettersItsEventAtOnceAndTheNextEventsOfEveryAppAreRouted() {
        saveRule(appId, "bomb", Map.of("text", FOUR_DEEP));
        saveRule(otherAppId, "plain", Map.of("text", "Deal {{eventId}}"));

        long sent = System.currentTimeMillis();
        send(event(appId, "bob", "bomb-1", Map.of("items", HUNDRED)));
        send(event(otherAppId, "olga", "after-bomb", Map.of()));

        ConsumerRecord<String, byte[]> dead = TopicProbe.awaitRawRecord(Topics.INTEGRATION_EVENTS_DLT.name(),
                r -> "bomb-1".equals(r.key())).stream().filter(r -> "bomb-1".equals(r.key())).findFirst().orElseThrow();
        assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("template-budget-exceeded");
        assertThat(header(dead, "kafka_dlt-exception-message")).contains("bomb").contains("list items");
        System.out.printf("exploding event dead-lettered %d ms after it was sent%n", dead.timestamp() - sent);
        assertThat(awaitNotification(otherAppId, SystemConversations.id("olga", "crm")).getMessage().getText())
                .isEqualTo("Deal after-bomb");
    }

    @Test
    void templatesThatCouldNeverRenderAreRefusedWhenSavedAndInADryRun() {
        for (String template : List.of("{{#payload.items}}" + FOUR_DEEP + "{{/payload.items}}", "Hi {{> partial}}")) {
            TestHttp.Response refused = http().send("PUT", "/v1/routing/rules/never", appToken(appId),
                    rule(match("crm", List.of(), null), List.of(Map.of("type", "USERS", "userIds", List.of("bob"))),
                            Map.of("text", template)));
            assertThat(refused.status()).as(template).isEqualTo(422);
            assertThat(refused.text("code")).isEqualTo("template-unrenderable");
        }
        TestHttp.Response script = http().postJson("/v1/routing/dry-run", appToken(appId), Map.of("event", postedEvent(List.of()),
                "rule", rule(match("crm", List.of(), null), List.of(Map.of("type", "USERS", "userIds", List.of("bob"))),
                        Map.of("text", "x", "card", Map.of("title", "t", "actions",
                                List.of(Map.of("id", "x", "label", "Run", "url", "javascript:alert(1)")))))));
        assertThat(script.status()).as(script.body()).isEqualTo(422);
        assertThat(script.text("detail")).contains("not an http or https URL");
    }

    @Test
    void aDryRunOfAnExplodingRuleSaysItWouldBeDeadLetteredForItsBudget() {
        saveRule(appId, "bomb", Map.of("text", FOUR_DEEP));

        TestHttp.Response dryRun = http().postJson("/v1/routing/dry-run", appToken(appId),
                Map.of("event", postedEvent(HUNDRED), "ruleId", "bomb"));

        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
        assertThat(dryRun.json().get("rules").get(0).get("result").asString()).isEqualTo("FAILED");
        assertThat(dryRun.json().get("rules").get(0).get("reason").asString()).isEqualTo("template-budget-exceeded");
    }

    @Test
    void aPayloadListOverTheLimitIsDeadLetteredFromKafkaAndRefusedOverHttp() {
        saveRule(appId, "plain", Map.of("text", "Deal {{eventId}}"));
        List<String> tooMany = IntStream.range(0, 101).mapToObj(i -> "i" + i).toList();

        send(event(appId, "bob", "long-list", Map.of("items", tooMany)));
        assertThat(TopicProbe.awaitDeadLetterReason(Topics.INTEGRATION_EVENTS_DLT.name(), "long-list"))
                .isEqualTo("payload-too-large");

        TestHttp.Response posted = http().postJson("/v1/events", bearer(tokens.appToken(appId, "events:ingest")),
                postedEvent(tooMany));
        assertThat(posted.status()).isEqualTo(400);
        assertThat(posted.json().get("errors").get(0).get("field").asString()).isEqualTo("payload.items");
        assertThat(posted.json().get("errors").get(0).get("message").asString()).contains("101 items; the limit is 100");
    }

    private void saveRule(String app, String ruleId, Map<String, Object> content) {
        TestHttp.Response saved = http().send("PUT", "/v1/routing/rules/" + ruleId, appToken(app),
                rule(match("crm", List.of(), null), List.of(Map.of("type", "EVENT_FIELD", "field", "actor")), content));
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
    }

    private String appToken(String app) {
        return bearer(tokens.appToken(app, "routing:admin"));
    }

    private static Map<String, Object> postedEvent(List<String> items) {
        return Map.of("eventId", "posted-1", "source", "crm", "eventType", "deal.won", "occurredAt", "2026-11-27T10:00:00Z",
                "actor", "bob", "entity", Map.of("type", "deal", "id", "D-1"), "payload", Map.of("items", items));
    }

    private static BusinessEvent event(String app, String actor, String eventId, Map<String, Object> payload) {
        return BusinessEvent.newBuilder()
                .setEventId(eventId).setAppId(app).setSource("crm").setEventType("deal.won")
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D-1").setDisplayName("ACME").build())
                .setActor(actor)
                .setPayload(payload)
                .build();
    }

    private static void send(BusinessEvent event) {
        TestProducers.sendAvro(Topics.INTEGRATION_EVENTS.name(), event.getEventId(), event);
    }

    private static ChatMessageEvent awaitNotification(String app, String conversationId) {
        return TopicProbe.<ChatMessageEvent>awaitRecord(Topics.CHAT_MESSAGES.name(), r -> r.value() != null
                        && r.value().getAppId().equals(app) && r.value().getConversationId().equals(conversationId))
                .stream().map(ConsumerRecord::value).filter(v -> v != null && v.getAppId().equals(app)
                        && v.getConversationId().equals(conversationId)).findFirst().orElseThrow();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
