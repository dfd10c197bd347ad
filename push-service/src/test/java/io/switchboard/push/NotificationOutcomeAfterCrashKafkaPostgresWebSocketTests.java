package io.switchboard.push;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.push.NotificationOutcome;
import io.switchboard.events.push.NotificationResult;
import io.switchboard.events.push.PushDelivery;
import io.switchboard.events.push.RecipientOutcome;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TestWebSocket;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import io.switchboard.platform.testing.TestWebhookEndpoint.Received;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.push.webhooks.ChatEvents;
import io.switchboard.push.webhooks.WebhookIntegrationTest;
import io.switchboard.schemas.Topics;
import io.switchboard.schemas.webhooks.WebhookSignature;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * A routed notification's outcome outlives the instance that found it. Gateway 1, a child JVM
 * ({@link GatewayProcess}) whose database connection runs through a {@link TcpLink}, hands a
 * notification to a user's session after the link was cut, commits what it read, and is killed -
 * while no webhook source anywhere has stored the outcome (this instance's are stopped, gateway 1's
 * cannot reach the database). Once this instance's webhook sources run again, the endpoint
 * receives the {@code notification.delivered} exactly once, also when the outcome is read twice.
 */
class NotificationOutcomeAfterCrashKafkaPostgresWebSocketTests extends WebhookIntegrationTest {

    /** Gateway 1's group leaves after the session timeout (10 s), then the poll is read and delivered. */
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    private static final int GATEWAY = 1;

    @Autowired
    Environment environment;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    MembershipView membership;

    @Test
    void aDeliveredOutcomeSurvivesTheGatewayDyingBeforeItReachedTheDatabaseAndArrivesOnce() throws Exception {
        TestMembership.group(appId, "deals", "Deals", List.of("alice", "crm-bot"));
        await().atMost(WAIT).until(() -> membership.isMember(appId, "deals", "crm-bot"));
        MessageListenerContainer webhookSources = listeners.getListenerContainer("push-webhooks");
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy();
             TcpLink database = TcpLink.to("127.0.0.1", 5432)) {
            register(receiver, "notification.delivered", "notification.failed");
            webhookSources.stop();
            GatewayProcess gateway1 = GatewayProcess.start(environment, GATEWAY, Map.of(
                    "spring.datasource.url", environment.getRequiredProperty("spring.datasource.url")
                            .replace("127.0.0.1:5432", "127.0.0.1:" + database.port()),
                    "switchboard.webhooks.key-encryption.keyset-file",
                    Path.of("target", "webhooks-test-keyset.json").toAbsolutePath().toString()));
            ChatMessageEvent notification = ChatEvents.card(appId, "deals", 1, "deal-1:approve");
            try (TestWebSocket alice = TestWebSocket.connect(gateway1.webSocketUrl(),
                    tokens.userToken(appId, "alice", "push:connect"))) {
                alice.awaitType("session.ready", WAIT);
                database.cut();

                ChatEvents.publish(notification);
                assertThat(alice.awaitType("message.created", WAIT).get("seq").asLong()).isEqualTo(1);
                long deliveryOffset = deliveryOffset(notification);
                await().atMost(WAIT).until(() -> committedOffset("push-gateway-" + GATEWAY) > deliveryOffset);
                assertThat(outcomeOf(notification, GATEWAY).getRecipients())
                        .extracting(RecipientOutcome::getUserId, RecipientOutcome::getStatus, RecipientOutcome::getDevices)
                        .containsExactly(tuple("alice", NotificationResult.DELIVERED, 1));
                assertThat(receiver.requests()).as("no outcome was stored before the crash").isZero();
            } finally {
                gateway1.crash();
            }

            webhookSources.start();
            Received delivered = receiver.await(r -> isOfType(r, "notification.delivered"), RECOVERY);
            Received failed = receiver.await(r -> isOfType(r, "notification.failed"), RECOVERY);
            assertThat(delivered.text()).contains("\"userId\":\"alice\"", "\"devices\":1", "\"eventId\":\"crm-42\"");
            assertThat(failed.text()).contains("\"userId\":\"crm-bot\"", "\"reason\":\"offline\"");

            // the same outcome read again (a stage reporting it twice) is not delivered again
            TestProducers.sendAvro(Topics.PUSH_NOTIFICATION_OUTCOMES.name(), Topics.conversationKey(appId, "deals"),
                    outcomeOf(notification, GATEWAY));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> receiver.received().stream()
                    .filter(r -> isOfType(r, "notification.delivered")).count() == 1);
            assertThat(receiver.received()).extracting(Received::deliveryId).doesNotHaveDuplicates().hasSize(2);
        } finally {
            if (!webhookSources.isRunning()) {
                webhookSources.start();
            }
        }
    }

    private static boolean isOfType(Received request, String type) {
        return type.equals(request.header(WebhookSignature.EVENT_TYPE_HEADER));
    }

    /** The offset of the notification's delivery on the gateway's partition of push.deliveries. */
    private static long deliveryOffset(ChatMessageEvent notification) {
        String deliveryId = notification.getEventId() + "@" + GATEWAY;
        return TopicProbe.<PushDelivery>awaitRecord(Topics.PUSH_DELIVERIES.name(),
                        r -> r.value() != null && r.value().getDeliveryId().equals(deliveryId)
                                && r.value().getEvent().getAppId().equals(notification.getAppId())).stream()
                .filter(r -> r.value() != null && r.value().getDeliveryId().equals(deliveryId)
                        && r.value().getEvent().getAppId().equals(notification.getAppId()))
                .findFirst().map(ConsumerRecord::offset).orElseThrow();
    }

    /** What a gateway reported about the notification on push.notification.outcomes. */
    private static NotificationOutcome outcomeOf(ChatMessageEvent notification, int gateway) {
        return TopicProbe.<NotificationOutcome>readToEnd(Topics.PUSH_NOTIFICATION_OUTCOMES.name()).stream()
                .map(ConsumerRecord::value)
                .filter(o -> o != null && o.getAppId().equals(notification.getAppId())
                        && o.getEventId().equals(notification.getEventId()) && Integer.valueOf(gateway).equals(o.getGateway()))
                .findFirst().orElseThrow(() -> new AssertionError("gateway " + gateway + " reported no outcome"));
    }

    /** The offset a consumer group committed on the gateway's partition of push.deliveries; -1 if none. */
    private long committedOffset(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                environment.getRequiredProperty("spring.kafka.bootstrap-servers")))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(Topics.PUSH_DELIVERIES.name(), GATEWAY));
            return committed == null ? -1 : committed.offset();
        }
    }
}
