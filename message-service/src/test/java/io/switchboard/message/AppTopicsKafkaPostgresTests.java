package io.switchboard.message;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestAppTopics;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.switchboard.message.RoutingKafkaPostgresTests.match;
import static io.switchboard.message.RoutingKafkaPostgresTests.rule;
import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An app's upstream producers write {@code integration.events.<appId>} (auth-service creates it
 * with their credentials; here the test does): routing finds the topic after start, and the topic,
 * not the record, says whose an event is.
 */
class AppTopicsKafkaPostgresTests extends ServiceIntegrationTest {

    private final String hexAppId = TestAppTopics.newAppId();

    @Test
    void anEventOnTheAppsOwnTopicIsRouted() {
        Topics.AppTopics topics = TestAppTopics.create(hexAppId);
        TestApps.active(hexAppId);
        TestMembership.group(hexAppId, "support", "Support", List.of("alice"));
        assertThat(http().send("PUT", "/v1/routing/rules/tickets", bearer(tokens.appToken(hexAppId, "routing:admin")),
                rule(match("helpdesk", List.of(), null), List.of(Map.of("type", "CONVERSATION", "conversationId", "support")),
                        Map.of("text", "Ticket {{entity.id}}"))).status()).isEqualTo(201);

        TestProducers.sendAvro(topics.integrationEvents().name(), "h-1", ticketOpened("h-1", hexAppId));

        ChatMessageEvent routed = TopicProbe.<ChatMessageEvent>awaitRecord(Topics.CHAT_MESSAGES.name(),
                        r -> r.value().getAppId().equals(hexAppId)).stream()
                .filter(r -> r.value().getAppId().equals(hexAppId)).findFirst().orElseThrow().value();
        assertThat(routed.getConversationId()).isEqualTo("support");
        assertThat(routed.getMessage().getText()).isEqualTo("Ticket T-7");
    }

    @Test
    void anEventNamingAnotherAppOnAnAppsTopicIsDeadLetteredAsTenantMismatch() {
        Topics.AppTopics topics = TestAppTopics.create(hexAppId);
        TestApps.active(hexAppId);
        TestApps.active(appId);

        // what a producer holding hexAppId's credentials could try: an event for the other app
        TestProducers.sendAvro(topics.integrationEvents().name(), "forged-1", ticketOpened("forged-1", appId));

        assertThat(TopicProbe.awaitDeadLetterReason(topics.integrationEvents().deadLetter().name(), "forged-1"))
                .isEqualTo("tenant-mismatch");
    }

    private static BusinessEvent ticketOpened(String eventId, String appId) {
        return BusinessEvent.newBuilder().setEventId(eventId).setAppId(appId).setSource("helpdesk")
                .setEventType("ticket.opened").setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType("ticket").setId("T-7").build()).build();
    }
}
