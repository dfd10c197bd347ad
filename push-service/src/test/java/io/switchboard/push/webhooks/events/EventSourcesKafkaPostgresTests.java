package io.switchboard.push.webhooks.events;

import io.switchboard.events.chat.EventOrigin;
import io.switchboard.events.membership.MemberChange;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.events.push.NotificationOutcome;
import io.switchboard.events.push.NotificationResult;
import io.switchboard.events.push.RecipientOutcome;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.platform.testing.TestWebSocket;
import io.switchboard.push.webhooks.ChatEvents;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import io.switchboard.platform.testing.TestWebhookEndpoint.Received;
import io.switchboard.push.webhooks.WebhookIntegrationTest;
import io.switchboard.schemas.Topics;
import io.switchboard.schemas.webhooks.WebhookSignature;
import io.switchboard.schemas.webhooks.WebhookSignature.Verification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What happens in Switchboard reaches the endpoints that subscribe to it, from the real topics. */
class EventSourcesKafkaPostgresTests extends WebhookIntegrationTest {

    @Autowired
    MembershipView membership;

    @BeforeEach
    void salesWinsHasAliceAndTheBot() {
        TestMembership.group(appId, "sales-wins", "Sales wins", List.of("alice", "crm-bot"));
        TestMembership.group(appId, "watercooler", "Watercooler", List.of("alice", "bob"));
        TestMembership.group(otherAppId, "sales-wins", "Another app's sales wins", List.of("alice", "crm-bot"));
        await().atMost(WAIT).until(() -> membership.isMember(appId, "sales-wins", "crm-bot")
                && membership.isMember(appId, "watercooler", "bob") && membership.isMember(otherAppId, "sales-wins", "crm-bot"));
    }

    @Test
    void messagesOfTheBotsConversationsReachTheEndpointOnceAndNothingElse() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            registerWithBot(receiver, "crm-bot", "message.created", "message.edited", "message.recalled");

            ChatEvents.publish(ChatEvents.created(appId, "watercooler", 1, "alice", "lunch?"));
            ChatEvents.publish(ChatEvents.created(appId, "sales-wins", 1, "alice", "We won ACME"));
            ChatEvents.publish(ChatEvents.created(appId, "sales-wins", 1, "alice", "We won ACME"));   // read twice
            ChatEvents.publish(ChatEvents.created(appId, "sales-wins", 2, "crm-bot", "noted"));      // the bot's own
            ChatEvents.publish(ChatEvents.edited(appId, "sales-wins", 1, 3, "alice", "We won ACME!", 2));
            ChatEvents.publish(ChatEvents.recalled(appId, "sales-wins", 1, 4, "alice", 3));
            ChatEvents.publish(ChatEvents.created(otherAppId, "sales-wins", 1, "alice", "another app's"));

            List<Received> received = receiver.awaitCount(3, WAIT);
            assertThat(received).extracting(r -> r.header(WebhookSignature.EVENT_TYPE_HEADER))
                    .containsExactlyInAnyOrder("message.created", "message.edited", "message.recalled");
            assertThat(received).extracting(Received::verification).containsOnly(Verification.VALID);
            JsonNode created = json(received.stream()
                    .filter(r -> r.header(WebhookSignature.EVENT_TYPE_HEADER).equals("message.created")).findFirst().orElseThrow());
            assertThat(created.get("appId").asString()).isEqualTo(appId);
            assertThat(created.get("data").get("conversationId").asString()).isEqualTo("sales-wins");
            assertThat(created.get("data").get("seq").asLong()).isEqualTo(1);
            assertThat(created.get("data").get("message").get("text").asString()).isEqualTo("We won ACME");
            assertThat(created.get("data").get("message").get("senderId").asString()).isEqualTo("alice");
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests() == 3);
        }
    }

    @Test
    void membershipChangesReachTheEndpointWithWhatChangedAndTheMembersState() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            register(receiver, "membership.changed");

            TestMembership.member(appId, "sales-wins", "carol", MemberRole.ADMIN, 2);
            JsonNode joined = json(receiver.await(r -> r.text().contains("carol"), WAIT));
            assertThat(joined.get("type").asString()).isEqualTo("membership.changed");
            assertThat(joined.get("data").get("change").asString()).isEqualTo("joined");
            assertThat(joined.get("data").get("isMember").asBoolean()).isTrue();
            assertThat(joined.get("data").get("role").asString()).isEqualTo("ADMIN");
            assertThat(joined.get("data").get("conversationId").asString()).isEqualTo("sales-wins");

            TestMembership.publish(TestMembership.memberRecord(appId, "sales-wins", "carol", MemberRole.MEMBER, 3)
                    .setChange(MemberChange.ROLE_CHANGED).build());
            JsonNode demoted = json(receiver.await(r -> r.text().contains("carol") && r.text().contains("role-changed"), WAIT));
            assertThat(demoted.get("data").get("role").asString()).isEqualTo("MEMBER");
            assertThat(demoted.get("data").get("conversationVersion").asLong()).isEqualTo(3);

            TestMembership.publish(TestMembership.memberRecord(appId, "sales-wins", "carol", MemberRole.MEMBER, 4)
                    .setMutedUntil(Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.MILLIS))
                    .setChange(MemberChange.MUTED).build());
            JsonNode muted = json(receiver.await(r -> r.text().contains("carol") && r.text().contains("\"muted\""), WAIT));
            assertThat(muted.get("data").get("mutedUntil").isNull()).isFalse();

            TestMembership.removed(appId, "sales-wins", "carol");
            JsonNode left = json(receiver.await(r -> r.text().contains("carol") && r.text().contains("\"isMember\":false"), WAIT));
            assertThat(left.get("data").get("userId").asString()).isEqualTo("carol");
            assertThat(left.get("data").get("change").asString()).isEqualTo("left");

            // a record published before membership-service said what changed
            TestMembership.publish(TestMembership.memberRecord(appId, "sales-wins", "dan", MemberRole.MEMBER, 6)
                    .setChange(null).build());
            JsonNode unsaid = json(receiver.await(r -> r.text().contains("\"dan\""), WAIT));
            assertThat(unsaid.get("data").get("change").isNull()).isTrue();
        }
    }

    @Test
    void presenceChangesReachTheEndpointWhenAUserConnectsAndLeaves() throws Exception {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            register(receiver, "presence.changed");

            try (TestWebSocket alice = TestWebSocket.connect("ws://127.0.0.1:" + port + "/v1/ws",
                    tokens.userToken(appId, "alice", "push:connect"))) {
                alice.awaitType("session.ready", WAIT);
                JsonNode online = json(receiver.await(r -> r.text().contains("\"online\":true"), WAIT));
                assertThat(online.get("data").get("userId").asString()).isEqualTo("alice");
            }
            JsonNode offline = json(receiver.await(r -> r.text().contains("\"online\":false"), WAIT));
            assertThat(offline.get("data").get("devices").asInt()).isZero();
        }
    }

    @Test
    void aRoutedNotificationsOutcomeReachesTheEndpointPerRecipient() throws Exception {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy();
             TestWebSocket alice = TestWebSocket.connect("ws://127.0.0.1:" + port + "/v1/ws",
                     tokens.userToken(appId, "alice", "push:connect"))) {
            alice.awaitType("session.ready", WAIT);
            register(receiver, "notification.delivered", "notification.failed");

            ChatEvents.publish(ChatEvents.card(appId, "sales-wins", 5, "deal-42:approve"));   // routed from crm-42
            alice.awaitType("message.created", WAIT);

            JsonNode delivered = json(receiver.await(r -> r.text().contains("notification.delivered"), WAIT));
            assertThat(delivered.get("data").get("userId").asString()).isEqualTo("alice");
            assertThat(delivered.get("data").get("devices").asInt()).isEqualTo(1);
            assertThat(delivered.get("data").get("origin").get("eventId").asString()).isEqualTo("crm-42");
            JsonNode failed = json(receiver.await(r -> r.text().contains("notification.failed"), WAIT));
            assertThat(failed.get("data").get("userId").asString()).as("the bot user holds no session").isEqualTo("crm-bot");
            assertThat(failed.get("data").get("reason").asString()).isEqualTo("offline");

            ChatEvents.publish(ChatEvents.created(appId, "sales-wins", 6, "alice", "not a notification"));
            alice.await(frame -> frame.path("seq").asLong() == 6, WAIT);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests() == 2);
        }
    }

    @Test
    void anEndpointNotSubscribedToATypeOrOfAnotherAppHearsNothingOfIt() {
        try (TestWebhookEndpoint mine = TestWebhookEndpoint.healthy(); TestWebhookEndpoint theirs = TestWebhookEndpoint.healthy()) {
            register(mine, "presence.changed");
            TestHttp.Response other = http().postJson("/v1/webhooks/endpoints", adminOf(otherAppId),
                    java.util.Map.of("url", theirs.url(), "eventTypes", List.of("membership.changed")));
            assertThat(other.status()).isEqualTo(201);

            TestMembership.member(appId, "sales-wins", "dave", MemberRole.MEMBER, 3);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> mine.requests() == 0 && theirs.requests() == 0);
        }
    }

    @Test
    void anOutcomeRecordTheWebhooksCannotReadIsDeadLetteredAndTheOthersAreRecorded() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            register(receiver, "notification.failed");
            String key = Topics.conversationKey(appId, "sales-wins");

            TestProducers.sendRaw(Topics.PUSH_NOTIFICATION_OUTCOMES.name(), key, "not avro".getBytes(StandardCharsets.UTF_8));
            TestProducers.sendAvro(Topics.PUSH_NOTIFICATION_OUTCOMES.name(), key, NotificationOutcome.newBuilder()
                    .setAppId(appId).setConversationId("sales-wins").setEventId("m9:MESSAGE_CREATED:1").setSeq(9)
                    .setMessageId("m9").setOrigin(EventOrigin.newBuilder().setEventId("crm-9").setSource("crm")
                            .setEventType("deal.won").setRouteId("deals").build())
                    .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                    .setRecipients(List.of(RecipientOutcome.newBuilder().setUserId("bob")
                            .setStatus(NotificationResult.OFFLINE).build()))
                    .build());

            assertThat(TopicProbe.awaitDeadLetterReason(Topics.PUSH_NOTIFICATION_OUTCOMES_DLT.name(), key))
                    .isEqualTo(DeadLetters.MALFORMED_RECORD);
            JsonNode failed = json(receiver.await(r -> r.text().contains("\"bob\""), WAIT));
            assertThat(failed.get("id").asString()).isEqualTo("notification.failed:m9:MESSAGE_CREATED:1:bob");
            assertThat(failed.get("data").get("reason").asString()).isEqualTo("offline");
            assertThat(failed.get("data").get("origin").get("eventId").asString()).isEqualTo("crm-9");
        }
    }

    private static JsonNode json(Received received) {
        return new TestHttp.Response(200, "application/json", received.text()).json();
    }
}
