package io.switchboard.push.webhooks.delivery;

import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import io.switchboard.push.webhooks.WebhookIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An endpoint's delivery health in the endpoints API, against real HTTP servers on loopback (test
 * configuration: breaker over 4 attempts, open for 2 s). It comes from PostgreSQL, not from the
 * in-memory breaker of the instance that answers: a dispatcher restarted with fresh breakers
 * reports the same, and holds off an endpoint whose circuit another breaker opened.
 */
class EndpointHealthKafkaPostgresTests extends WebhookIntegrationTest {

    @Autowired
    Dispatcher dispatcher;

    @Test
    void aNewEndpointIsHealthyWithNothingPending() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            Registered registered = register(receiver, "card.action");

            JsonNode health = health(registered.endpointId());
            assertThat(health.get("state").asString()).isEqualTo("healthy");
            assertThat(health.get("consecutiveFailures").asInt()).isZero();
            assertThat(health.get("pendingDeliveries").asInt()).isZero();
            for (String none : new String[]{"failingSince", "lastAttemptAt", "lastError", "nextAttemptAt"}) {
                assertThat(health.get(none).isNull()).as(none).isTrue();
            }

            ping(registered.endpointId());
            await().atMost(WAIT).until(() -> !health(registered.endpointId()).get("lastAttemptAt").isNull());
            assertThat(health(registered.endpointId()).get("state").asString()).isEqualTo("healthy");
        }
    }

    @Test
    void failuresShowAsFailingThenAsAnOpenCircuitThatHoldsEveryDispatcherOffAndRecoveryAsHealthy() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.failingForever()) {
            Registered registered = register(receiver, "card.action");
            String id = registered.endpointId();
            ping(id);

            await().atMost(WAIT).until(() -> health(id).get("consecutiveFailures").asInt() >= 1);
            JsonNode failing = health(id);
            assertThat(failing.get("state").asString()).isIn("failing", "open-circuit");
            Instant failingSince = Instant.parse(failing.get("failingSince").asString());
            assertThat(failing.get("lastError").get("outcome").asString()).isEqualTo("http-error");
            assertThat(failing.get("lastError").get("statusCode").asInt()).isEqualTo(500);
            assertThat(failing.get("lastError").get("detail").asString()).isEqualTo("HTTP 500");
            assertThat(failing.get("pendingDeliveries").asInt()).isEqualTo(1);
            assertThat(Instant.parse(failing.get("nextAttemptAt").asString()))
                    .isAfterOrEqualTo(Instant.parse(failing.get("lastAttemptAt").asString()));

            for (int i = 0; i < 5; i++) {
                ping(id);
            }
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> health(id).get("state").asString().equals("open-circuit"));
            JsonNode open = health(id);
            int failures = open.get("consecutiveFailures").asInt();
            assertThat(failures).isGreaterThanOrEqualTo(4);
            Instant closesAt = Instant.parse(open.get("nextAttemptAt").asString());
            assertThat(closesAt).isBefore(Instant.now().plusSeconds(3));

            dispatcher.stop();   // its breakers go; a fresh one has seen no failure
            dispatcher.start();
            int requests = receiver.requests();
            Duration stillOpen = Duration.between(Instant.now(), closesAt).minusMillis(300);
            if (stillOpen.compareTo(Duration.ofMillis(300)) > 0) {
                await().during(stillOpen).atMost(stillOpen.plusSeconds(5)).until(() -> receiver.requests() == requests);
            }
            JsonNode afterRestart = health(id);
            assertThat(afterRestart.get("consecutiveFailures").asInt()).isGreaterThanOrEqualTo(failures);
            assertThat(Instant.parse(afterRestart.get("failingSince").asString())).isEqualTo(failingSince);

            receiver.recover();   // what has not run out of attempts by now is delivered
            awaitDeliveries(id, "delivered", 1, WAIT);
            await().atMost(WAIT).until(() -> health(id).get("pendingDeliveries").asInt() == 0);
            JsonNode healthy = health(id);
            assertThat(healthy.get("state").asString()).isEqualTo("healthy");
            assertThat(healthy.get("consecutiveFailures").asInt()).isZero();
            assertThat(healthy.get("failingSince").isNull()).isTrue();
            assertThat(healthy.get("nextAttemptAt").isNull()).isTrue();
            assertThat(healthy.get("lastError").get("outcome").asString()).as("the last error is kept").isEqualTo("http-error");

            TestHttp.Response disabled = http().send("PATCH", "/v1/webhooks/endpoints/" + id, admin(), Map.of("enabled", false));
            assertThat(disabled.json().get("health").get("state").asString()).isEqualTo("disabled");
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheHealth() {
        JsonNode schemas = http().get("/v3/api-docs", null).json().get("components").get("schemas");

        assertThat(schemas.get("EndpointResponse").get("properties").has("health")).isTrue();
        JsonNode health = schemas.get("EndpointHealth").get("properties");
        assertThat(health.propertyNames()).contains("state", "consecutiveFailures", "failingSince", "lastAttemptAt",
                "lastError", "pendingDeliveries", "nextAttemptAt");
        assertThat(health.get("state").toString()).contains("healthy", "failing", "open-circuit", "disabled");
    }
}
