package io.switchboard.push.webhooks.cards;

import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestWebSocket;
import io.switchboard.events.chat.CardUpdateRequest;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.push.webhooks.ChatEvents;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import io.switchboard.platform.testing.TestWebhookEndpoint.Received;
import io.switchboard.push.webhooks.WebhookIntegrationTest;
import io.switchboard.schemas.Topics;
import io.switchboard.schemas.webhooks.WebhookSignature.Verification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A click on a card button in a user's client reaches the app as a signed webhook. */
class CardActionKafkaPostgresTests extends WebhookIntegrationTest {

    @Autowired
    MembershipView membership;
    @Autowired
    CardStore cards;

    @BeforeEach
    void aCardWithAnApproveButtonInSalesWins() {
        TestMembership.group(appId, "sales-wins", "Sales wins", List.of("alice", "bob"));
        ChatEvents.publish(ChatEvents.card(appId, "sales-wins", 1, "deal-42:approve"));
        await().atMost(WAIT).until(() -> membership.isMember(appId, "sales-wins", "alice")
                && cards.find(appId, "sales-wins", 1).isPresent());
    }

    @Test
    void aClickReachesTheAppWithItsCallbackIdAndTheUser() throws Exception {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy(); TestWebSocket alice = connect("alice")) {
            register(receiver, "card.action");

            alice.send("{\"type\":\"card.action\",\"conversationId\":\"sales-wins\",\"seq\":1,\"actionId\":\"approve\"}");
            JsonNode accepted = alice.awaitType("card.action.accepted", WAIT);
            assertThat(accepted.get("seq").asLong()).isEqualTo(1);

            Received click = receiver.await(r -> true, WAIT);
            assertThat(click.verification()).isEqualTo(Verification.VALID);
            JsonNode body = new TestHttp.Response(200, "application/json", click.text()).json();
            assertThat(body.get("type").asString()).isEqualTo("card.action");
            JsonNode data = body.get("data");
            assertThat(data.get("clickId").asString()).isEqualTo(accepted.get("clickId").asString());
            assertThat(data.get("callbackId").asString()).isEqualTo("deal-42:approve");
            assertThat(data.get("actionId").asString()).isEqualTo("approve");
            assertThat(data.get("userId").asString()).isEqualTo("alice");
            assertThat(data.get("conversationId").asString()).isEqualTo("sales-wins");
            assertThat(data.get("messageId").asString()).isEqualTo("m1");
        }
    }

    @Test
    void anAnswerWithACardIsRelayedToMessageServiceAsAnUpdateOfTheClickedVersion() throws Exception {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy(); TestWebSocket bob = connect("bob")) {
            register(receiver, "card.action");
            receiver.recover("{\"card\":{\"title\":\"Discount approved\",\"fields\":[{\"label\":\"By\",\"value\":\"bob\"}],"
                    + "\"actions\":[{\"id\":\"open\",\"label\":\"Open\",\"url\":\"https://crm.example.com/deals/42\"}]},"
                    + "\"text\":\"Approved by bob\"}");

            bob.send("{\"type\":\"card.action\",\"conversationId\":\"sales-wins\",\"seq\":1,\"actionId\":\"approve\"}");
            String clickId = bob.awaitType("card.action.accepted", WAIT).get("clickId").asString();

            CardUpdateRequest update = TopicProbe.<CardUpdateRequest>awaitRecord(Topics.CHAT_CARD_UPDATES.name(),
                    r -> r.value() != null && clickId.equals(r.value().getRequestId())).stream()
                    .map(ConsumerRecord::value).filter(v -> clickId.equals(v.getRequestId())).findFirst().orElseThrow();
            assertThat(update.getAppId()).isEqualTo(appId);
            assertThat(update.getConversationId()).isEqualTo("sales-wins");
            assertThat(update.getSeq()).isEqualTo(1);
            assertThat(update.getBasedOnVersion()).isEqualTo(1);
            assertThat(update.getCard().getTitle()).isEqualTo("Discount approved");
            assertThat(update.getCard().getActions()).extracting(a -> a.getUrl()).containsExactly("https://crm.example.com/deals/42");
            assertThat(update.getText()).isEqualTo("Approved by bob");
        }
    }

    @Test
    void clicksThatCannotBeActedOnAreRefusedOnTheSocket() throws Exception {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy();
             TestWebSocket alice = connect("alice"); TestWebSocket mallory = connect("mallory")) {
            assertThat(click(alice, "{\"type\":\"card.action\",\"conversationId\":\"sales-wins\",\"seq\":1,\"actionId\":\"approve\"}"))
                    .as("no endpoint subscribes to card actions yet").isEqualTo("card-action-unavailable");
            register(receiver, "card.action");

            assertThat(click(mallory, "{\"type\":\"card.action\",\"conversationId\":\"sales-wins\",\"seq\":1,\"actionId\":\"approve\"}"))
                    .isEqualTo("not-a-member");
            assertThat(click(alice, "{\"type\":\"card.action\",\"conversationId\":\"sales-wins\",\"seq\":1,\"actionId\":\"open\"}"))
                    .as("a link button has no callback").isEqualTo("card-action-unknown");
            assertThat(click(alice, "{\"type\":\"card.action\",\"conversationId\":\"sales-wins\",\"seq\":7,\"actionId\":\"approve\"}"))
                    .isEqualTo("card-action-unknown");
            assertThat(click(alice, "{\"type\":\"card.action\",\"conversationId\":\"sales-wins\",\"actionId\":\"approve\"}"))
                    .isEqualTo("card-action-invalid");

            ChatEvents.publish(ChatEvents.recalled(appId, "sales-wins", 1, 2, "system:crm", 2));
            await().atMost(WAIT).until(() -> cards.find(appId, "sales-wins", 1).isEmpty());
            assertThat(click(alice, "{\"type\":\"card.action\",\"conversationId\":\"sales-wins\",\"seq\":1,\"actionId\":\"approve\"}"))
                    .as("the card was recalled").isEqualTo("card-action-unknown");
            assertThat(receiver.requests()).isZero();
        }
    }

    /** Test configuration: 8 clicks per user and 12 per app, per hour (nothing refills during the test). */
    @Test
    void clicksOverTheUsersOrTheAppsLimitAreRefusedWithRetryAfterAndMakeNoWebhook() throws Exception {
        String approve = "{\"type\":\"card.action\",\"conversationId\":\"sales-wins\",\"seq\":1,\"actionId\":\"approve\"}";
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy();
             TestWebSocket alice = connect("alice"); TestWebSocket bob = connect("bob")) {
            Registered registered = register(receiver, "card.action");

            for (int i = 0; i < 8; i++) {
                assertThat(answer(alice, approve).get("type").asString()).as("click " + (i + 1)).isEqualTo("card.action.accepted");
            }
            JsonNode refused = answer(alice, approve);
            assertThat(refused.get("type").asString()).isEqualTo("error");
            assertThat(refused.get("code").asString()).isEqualTo("card-action-rate-limited");
            assertThat(refused.get("retryAfterMs").asLong()).as("an hour's 8 clicks refill one every 7.5 minutes")
                    .isBetween(60_000L, 450_000L);

            for (int i = 0; i < 4; i++) {
                assertThat(answer(bob, approve).get("type").asString()).as("bob's click " + (i + 1)).isEqualTo("card.action.accepted");
            }
            JsonNode appFull = answer(bob, approve);
            assertThat(appFull.get("code").asString()).as("the app's 12 are spent, bob's own 8 are not")
                    .isEqualTo("card-action-rate-limited");
            assertThat(appFull.get("retryAfterMs").asLong()).isBetween(60_000L, 300_000L);

            receiver.awaitCount(12, WAIT);
            assertThat(awaitDeliveries(registered.endpointId(), "delivered", 12, WAIT)).hasSize(12);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests() == 12);
            assertThat(answer(alice, "{\"type\":\"ping\"}").get("type").asString()).as("the session stays open").isEqualTo("pong");
        }
    }

    /** Sends a frame and returns the answer to it: the next card.action.accepted, error or pong frame. */
    private static JsonNode answer(TestWebSocket socket, String frame) throws InterruptedException {
        socket.send(frame);
        return socket.await(f -> List.of("card.action.accepted", "error", "pong").contains(f.path("type").asString()), WAIT);
    }

    private TestWebSocket connect(String userId) throws InterruptedException {
        TestWebSocket socket = TestWebSocket.connect("ws://127.0.0.1:" + port + "/v1/ws",
                tokens.userToken(appId, userId, "push:connect"));
        socket.awaitType("session.ready", WAIT);
        return socket;
    }

    private static String click(TestWebSocket socket, String frame) throws InterruptedException {
        socket.send(frame);
        return socket.awaitType("error", WAIT).get("code").asString();
    }
}
