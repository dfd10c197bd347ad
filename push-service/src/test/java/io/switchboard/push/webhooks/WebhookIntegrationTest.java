package io.switchboard.push.webhooks;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook tests on push-service's one test context (real broker, registry and PostgreSQL), with
 * the app's side played by {@link TestWebhookEndpoint}s and the public webhook API.
 */
public abstract class WebhookIntegrationTest extends ServiceIntegrationTest {

    protected static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeEach
    void appsAreActive() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
    }

    /** An endpoint as registered: its id and the secret shown once. */
    protected record Registered(String endpointId, String secret) {
    }

    protected String admin() {
        return TestHttp.bearer(tokens.appToken(appId, "webhooks:admin"));
    }

    protected String adminOf(String app) {
        return TestHttp.bearer(tokens.appToken(app, "webhooks:admin"));
    }

    /** Registers an endpoint of {@code appId} and has the loopback endpoint verify with its secret. */
    protected Registered register(TestWebhookEndpoint endpoint, String... eventTypes) {
        return registerWithBot(endpoint, null, eventTypes);
    }

    /** Registers an endpoint that hears of messages in the conversations {@code botUserId} is a member of. */
    protected Registered registerWithBot(TestWebhookEndpoint endpoint, String botUserId, String... eventTypes) {
        Registered registered = registerUrl(endpoint.url(), botUserId, eventTypes);
        endpoint.verifyingWith(registered.secret());
        return registered;
    }

    /** Registers an endpoint of {@code appId} at {@code url}. */
    protected Registered registerUrl(String url, String botUserId, String... eventTypes) {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("url", url);
        request.put("eventTypes", List.of(eventTypes.length == 0 ? new String[]{"membership.changed"} : eventTypes));
        if (botUserId != null) {
            request.put("botUserId", botUserId);
        }
        TestHttp.Response response = http().postJson("/v1/webhooks/endpoints", admin(), request);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return new Registered(response.json().get("endpoint").get("endpointId").asString(), response.text("secret"));
    }

    protected String ping(String endpointId) {
        TestHttp.Response response = http().postJson("/v1/webhooks/endpoints/" + endpointId + "/ping", admin(), "{}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.text("eventId");
    }

    protected JsonNode endpoint(String endpointId) {
        return http().get("/v1/webhooks/endpoints/" + endpointId, admin()).json();
    }

    /** The delivery log of one endpoint, newest first, optionally of one status. */
    protected List<JsonNode> deliveries(String endpointId, String status) {
        String query = "/v1/webhooks/deliveries?endpointId=" + endpointId + (status == null ? "" : "&status=" + status);
        TestHttp.Response response = http().get(query, admin());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        response.json().get("deliveries").forEach(entries::add);
        return entries;
    }

    /** The endpoint's delivery health, as the endpoints API shows it. */
    protected JsonNode health(String endpointId) {
        return endpoint(endpointId).get("health");
    }

    protected JsonNode delivery(String deliveryId) {
        return http().get("/v1/webhooks/deliveries/" + deliveryId, admin()).json();
    }

    /** Waits until the endpoint has {@code count} deliveries in {@code status}; returns them. */
    protected List<JsonNode> awaitDeliveries(String endpointId, String status, int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> deliveries(endpointId, status).size() >= count);
        return deliveries(endpointId, status);
    }
}
