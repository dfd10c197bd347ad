package io.switchboard.push.webhooks.endpoints;

import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import io.switchboard.push.webhooks.WebhookIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointsApiKafkaPostgresTests extends WebhookIntegrationTest {

    @Test
    void anEndpointIsRegisteredReadChangedAndDeleted() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            TestHttp.Response created = http().postJson("/v1/webhooks/endpoints", admin(), Map.of("url", receiver.url(),
                    "eventTypes", List.of("card.action", "membership.changed"), "description", "CRM hooks"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.text("secret")).startsWith("whsec_").hasSizeGreaterThan(40);
            JsonNode endpoint = created.json().get("endpoint");
            String id = endpoint.get("endpointId").asString();
            assertThat(endpoint.get("status").asString()).isEqualTo("enabled");
            assertThat(endpoint.get("eventTypes").toString()).contains("card.action", "membership.changed");
            assertThat(endpoint.get("secrets").size()).isEqualTo(1);
            assertThat(endpoint.toString()).as("the secret is shown once, outside the endpoint").doesNotContain("whsec_");

            assertThat(http().get("/v1/webhooks/endpoints", admin()).json().toString()).contains(id);
            TestHttp.Response changed = http().send("PATCH", "/v1/webhooks/endpoints/" + id, admin(),
                    Map.of("eventTypes", List.of("presence.changed"), "enabled", false));
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(changed.json().get("status").asString()).isEqualTo("disabled");
            assertThat(changed.json().get("eventTypes").toString()).isEqualTo("[\"presence.changed\"]");
            assertThat(changed.json().get("description").asString()).isEqualTo("CRM hooks");
            assertThat(http().postJson("/v1/webhooks/endpoints/" + id + "/ping", admin(), "{}").text("code"))
                    .isEqualTo("webhook-endpoint-disabled");

            assertThat(http().delete("/v1/webhooks/endpoints/" + id, admin()).status()).isEqualTo(204);
            TestHttp.Response gone = http().get("/v1/webhooks/endpoints/" + id, admin());
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.text("code")).isEqualTo("webhook-endpoint-not-found");
        }
    }

    @Test
    void anotherAppCannotSeeChangePingOrDeleteTheEndpoint() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            Registered mine = register(receiver, "membership.changed");
            String other = adminOf(otherAppId);
            String path = "/v1/webhooks/endpoints/" + mine.endpointId();

            assertThat(http().get(path, other).status()).isEqualTo(404);
            assertThat(http().get("/v1/webhooks/endpoints", other).body()).doesNotContain(mine.endpointId());
            assertThat(http().send("PATCH", path, other, Map.of("enabled", false)).status()).isEqualTo(404);
            assertThat(http().postJson(path + "/ping", other, "{}").status()).isEqualTo(404);
            assertThat(http().postJson(path + "/secret/rotate", other, "{}").status()).isEqualTo(404);
            assertThat(http().delete(path, other).status()).isEqualTo(404);
            assertThat(http().get("/v1/webhooks/deliveries?endpointId=" + mine.endpointId(), other).json()
                    .get("deliveries").size()).isZero();
            assertThat(http().get(path, admin()).json().get("status").asString()).isEqualTo("enabled");
        }
    }

    @Test
    void privateLinkLocalMetadataAndPlainHttpDestinationsAreRefused() {
        for (String url : List.of("https://10.0.0.8/hook", "https://192.168.1.20/hook", "https://172.16.0.1/hook",
                "http://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/", "https://[fd00::1]/hook",
                "https://[::ffff:10.0.0.1]/hook", "https://100.64.0.1/hook", "https://0.0.0.0/hook",
                "http://93.184.215.14/hook", "ftp://93.184.215.14/hook", "https://user:pw@93.184.215.14/hook",
                "https://nonexistent.invalid/hook", "not a url", "/relative/hook")) {
            TestHttp.Response refused = http().postJson("/v1/webhooks/endpoints", admin(),
                    Map.of("url", url, "eventTypes", List.of("card.action")));
            assertThat(refused.status()).as(url + ": " + refused.body()).isEqualTo(422);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.text("code")).as(url).isEqualTo("webhook-url-refused");
        }
    }

    @Test
    void badRegistrationsAreRefusedWithProblemDetails() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            assertThat(refusal(Map.of("url", receiver.url(), "eventTypes", List.of("deal.won")))).isEqualTo("validation-failed");
            assertThat(refusal(Map.of("url", receiver.url(), "eventTypes", List.of("webhook.ping")))).isEqualTo("validation-failed");
            assertThat(refusal(Map.of("url", receiver.url(), "eventTypes", List.of())))
                    .isEqualTo("validation-failed");
            assertThat(refusal(Map.of("url", receiver.url(), "eventTypes", List.of("message.created"))))
                    .as("message events need the bot user whose conversations they come from").isEqualTo("validation-failed");
            assertThat(refusal(Map.of("url", receiver.url(), "eventTypes", List.of("message.created"), "botUserId", "a b")))
                    .isEqualTo("validation-failed");

            Map<String, Object> valid = Map.of("url", receiver.url(), "eventTypes", List.of("card.action"));
            assertThat(http().postJson("/v1/webhooks/endpoints", TestHttp.bearer(tokens.appToken(appId, "routing:admin")),
                    valid).status()).isEqualTo(403);
            assertThat(http().postJson("/v1/webhooks/endpoints",
                    TestHttp.bearer(tokens.userToken(appId, "alice", "webhooks:admin")), valid).text("code"))
                    .isEqualTo("forbidden");
            assertThat(http().postJson("/v1/webhooks/endpoints", null, valid).status()).isEqualTo(401);
        }
    }

    @Test
    void rotatingTheSecretKeepsTheOldOneSigningForTheOverlapOnly() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            Registered registered = register(receiver, "card.action");
            String path = "/v1/webhooks/endpoints/" + registered.endpointId() + "/secret/rotate";

            TestHttp.Response rotated = http().postJson(path, admin(), Map.of("overlapSeconds", 3600));
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            assertThat(rotated.text("secret")).startsWith("whsec_").isNotEqualTo(registered.secret());
            JsonNode secrets = rotated.json().get("endpoint").get("secrets");
            assertThat(secrets.size()).isEqualTo(2);
            assertThat(secrets.get(0).get("expiresAt").isNull()).as("the new one").isTrue();
            assertThat(secrets.get(1).get("expiresAt").isNull()).as("the old one ends").isFalse();

            TestHttp.Response again = http().postJson(path, admin(), Map.of("overlapSeconds", 0));
            assertThat(again.json().get("endpoint").get("secrets").size())
                    .as("without overlap, and the first one rotated out at once").isEqualTo(1);
            assertThat(http().postJson(path, admin(), Map.of("overlapSeconds", 8 * 86_400)).text("code"))
                    .isEqualTo("validation-failed");
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheApiAndWhatEndpointsReceive() {
        JsonNode document = http().get("/v3/api-docs", null).json();

        assertThat(document.get("openapi").asString()).startsWith("3.1");
        assertThat(document.get("paths").propertyNames()).contains("/v1/webhooks/endpoints",
                "/v1/webhooks/endpoints/{endpointId}/secret/rotate", "/v1/webhooks/endpoints/{endpointId}/ping",
                "/v1/webhooks/deliveries", "/v1/webhooks/deliveries/{deliveryId}/replay", "/v1/webhooks/deliveries/replay");
        JsonNode webhooks = document.get("webhooks");
        assertThat(webhooks.propertyNames()).contains("message.created", "message.edited", "message.recalled",
                "card.action", "membership.changed", "presence.changed", "notification.delivered", "notification.failed",
                "webhook.endpoint.disabled", "webhook.ping");
        assertThat(webhooks.get("card.action").toString()).contains("webhook-signature", "callbackId");
        assertThat(document.get("components").get("schemas").get("Problem").toString()).contains("webhook-url-refused");
    }

    private String refusal(Map<String, Object> request) {
        TestHttp.Response response = http().postJson("/v1/webhooks/endpoints", admin(), request);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        return response.text("code");
    }
}
