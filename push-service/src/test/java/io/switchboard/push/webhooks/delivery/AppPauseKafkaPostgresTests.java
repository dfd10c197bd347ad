package io.switchboard.push.webhooks.delivery;

import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import io.switchboard.platform.testing.TestWebhookEndpoint.Received;
import io.switchboard.push.webhooks.WebhookIntegrationTest;
import io.switchboard.schemas.webhooks.WebhookSignature;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks of suspended and deleted apps: the app's state arrives on {@code auth.apps} (the real
 * broker), deliveries wait in PostgreSQL, the endpoint is a real HTTP server on loopback. While
 * the app is suspended its token is refused, so what the app cannot see through the API is read
 * from the delivery log directly.
 */
class AppPauseKafkaPostgresTests extends WebhookIntegrationTest {

    /** Long enough for several retries (300 ms, 600 ms, ...) had the pause not held them. */
    private static final Duration SUSPENSION = Duration.ofSeconds(3);

    @Autowired
    PausedApps paused;
    @Autowired
    DeliveryLog log;

    @Test
    void whileTheAppIsSuspendedNoRequestIsMadeAndOnceItIsActiveTheEventArrivesOnItsFirstAttempt() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            Registered registered = register(receiver, "membership.changed");
            suspend();

            TestMembership.group(appId, conversation(), "Ops", List.of("alice"));
            List<DeliveryLog.Entry> waiting = awaitPending(registered.endpointId(), 1);
            await().during(SUSPENSION).atMost(SUSPENSION.plusSeconds(5)).until(() -> receiver.requests() == 0);
            assertThat(log.list(appId, registered.endpointId(), "pending", null, null, 10))
                    .singleElement().satisfies(entry -> assertThat(entry.attempts()).as("attempts counted").isZero());

            Instant resumed = Instant.now();
            TestApps.active(appId);
            Received arrived = receiver.await(r -> true, WAIT);
            assertThat(arrived.deliveryId()).isEqualTo(waiting.getFirst().deliveryId());
            assertThat(arrived.attempt()).isEqualTo(1);
            assertThat(arrived.header(WebhookSignature.EVENT_TYPE_HEADER)).isEqualTo("membership.changed");
            assertThat(arrived.at()).isAfter(resumed);
            assertThat(waiting.getFirst().createdAt()).as("recorded while suspended").isBefore(resumed);
            JsonNode delivered = awaitDeliveries(registered.endpointId(), "delivered", 1, WAIT).getFirst();
            assertThat(delivered.get("attempts").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aSuspensionDoesNotCountTowardsDisablingAFailingEndpoint() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.failingForever()) {
            Registered registered = register(receiver, "card.action", "membership.changed");
            ping(registered.endpointId());
            receiver.awaitCount(1, WAIT);
            await().atMost(WAIT).until(() -> !health(registered.endpointId()).get("failingSince").isNull());
            Instant failingSince = Instant.parse(health(registered.endpointId()).get("failingSince").asString());

            Instant suspendedAt = suspend();
            TestMembership.group(appId, conversation(), "Ops", List.of("alice"));
            awaitPending(registered.endpointId(), 1);
            int requestsSoFar = receiver.requests();
            await().during(SUSPENSION).atMost(SUSPENSION.plusSeconds(5)).until(() -> receiver.requests() == requestsSoFar);
            Instant resumedAt = Instant.now();
            TestApps.active(appId);
            await().atMost(WAIT).until(() -> paused.reason(appId).isEmpty());

            Received next = receiver.await(r -> "membership.changed".equals(r.header(WebhookSignature.EVENT_TYPE_HEADER)), WAIT);
            assertThat(next.attempt()).isEqualTo(1);
            assertThat(next.at()).isAfter(resumedAt);
            Instant movedTo = Instant.parse(health(registered.endpointId()).get("failingSince").asString());
            assertThat(Duration.between(failingSince, movedTo))
                    .as("the disabling clock moved on by the pause (at least from its confirmation to its end)")
                    .isGreaterThanOrEqualTo(Duration.between(suspendedAt, resumedAt));
        }
    }

    @Test
    void aDeletedAppsPendingDeliveriesAndLaterEventsAreDeadLetteredWithoutAnAttempt() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            Registered registered = register(receiver, "membership.changed");
            suspend();
            TestMembership.group(appId, conversation(), "Ops", List.of("alice"));
            awaitPending(registered.endpointId(), 1);

            TestApps.deleted(appId);
            await().atMost(WAIT).until(() -> paused.reason(appId).equals(Optional.of(PausedApps.DELETED)));
            DeliveryLog.Entry dropped = awaitFailed(registered.endpointId(), 1).getFirst();
            assertThat(dropped.failureReason()).isEqualTo("app-deleted");
            assertThat(dropped.attempts()).isZero();

            TestMembership.group(appId, conversation(), "Late", List.of("bob"));
            List<DeliveryLog.Entry> failed = awaitFailed(registered.endpointId(), 2);
            assertThat(failed).extracting(DeliveryLog.Entry::failureReason).containsOnly("app-deleted");
            assertThat(receiver.requests()).isZero();
        }
    }

    /** Suspends the app and waits until its deliveries are paused; returns when they were. */
    private Instant suspend() {
        TestApps.suspended(appId);
        await().atMost(WAIT).until(() -> paused.reason(appId).equals(Optional.of(PausedApps.SUSPENDED)));
        return Instant.now();
    }

    private List<DeliveryLog.Entry> awaitPending(String endpointId, int count) {
        await().atMost(WAIT).until(() -> log.list(appId, endpointId, "pending", null, null, 10).size() >= count);
        return log.list(appId, endpointId, "pending", null, null, 10);
    }

    private List<DeliveryLog.Entry> awaitFailed(String endpointId, int count) {
        await().atMost(WAIT).until(() -> log.list(appId, endpointId, "failed", null, null, 10).size() >= count);
        return log.list(appId, endpointId, "failed", null, null, 10);
    }

    private static String conversation() {
        return "ops-" + UUID.randomUUID();
    }
}
