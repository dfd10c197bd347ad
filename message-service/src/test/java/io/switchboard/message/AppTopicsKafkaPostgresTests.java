package io.switchboard.message;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.switchboard.message.RoutingKafkaPostgresTests.match;
import static io.switchboard.message.RoutingKafkaPostgresTests.rule;
import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator lets upstream systems publish on their own topics, matched by a pattern (set for the
 * tests in {@code config/application.yml}: no context of its own, so no broker of its own).
 */
class PerSourceTopicsKafkaPostgresTests extends ServiceIntegrationTest {

    private static final String SOURCE_TOPIC = "upstream.helpdesk";

    @Test
    void eventsOnATopicMatchingThePatternAreRouted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS)))) {
            admin.createTopics(List.of(new NewTopic(SOURCE_TOPIC, 1, (short) 1))).all().get();
        }
        TestApps.active(appId);
        TestMembership.group(appId, "support", "Support", List.of("alice"));
        assertThat(http().send("PUT", "/v1/routing/rules/tickets", bearer(tokens.appToken(appId, "routing:admin")),
                rule(match("helpdesk", List.of(), null), List.of(Map.of("type", "CONVERSATION", "conversationId", "support")),
                        Map.of("text", "Ticket {{entity.id}}"))).status()).isEqualTo(201);

        BusinessEvent event = BusinessEvent.newBuilder().setEventId("h-1").setAppId(appId).setSource("helpdesk")
                .setEventType("ticket.opened").setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType("ticket").setId("T-7").build()).build();
        TestProducers.sendAvro(SOURCE_TOPIC, "h-1", event);

        ChatMessageEvent routed = TopicProbe.<ChatMessageEvent>awaitRecord(Topics.CHAT_MESSAGES.name(),
                        r -> r.value().getAppId().equals(appId)).stream()
                .filter(r -> r.value().getAppId().equals(appId)).findFirst().orElseThrow().value();
        assertThat(routed.getConversationId()).isEqualTo("support");
        assertThat(routed.getMessage().getText()).isEqualTo("Ticket T-7");
    }
}
