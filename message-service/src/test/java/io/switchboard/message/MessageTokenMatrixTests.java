package io.switchboard.message;

import io.switchboard.platform.testing.TokenMatrixTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestTokenIssuer;
import io.switchboard.platform.testing.TokenMatrix.Endpoint;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.awaitility.Awaitility.await;

/** Every message-service endpoint refuses bad, foreign and under-scoped tokens. */
class MessageTokenMatrixTests extends TokenMatrixTest {

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void appsAndAConversationExist() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
        TestMembership.group(appId, "matrix", null, List.of("alice"));
        String token = bearer(TestTokenIssuer.shared().appToken(appId, "messages:read"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> http().get("/v1/conversations/matrix/messages", token).status() == 200);
        // what routing records for an event, so the routing report has something to show
        jdbc.sql("""
                INSERT INTO routed_event_rules (app_id, event_id, rule_id, rule_version, notified, suppressed, digested, routed_at)
                VALUES (?, 'matrix-routed', 'matrix', 1, 1, 0, 0, CURRENT_TIMESTAMP)""").param(appId).update();
    }

    @Override
    protected List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("POST", "/v1/conversations/{conversationId}/messages", "/v1/conversations/matrix/messages",
                        Map.of("type", "TEXT", "text", "hello"), "messages:write", 404),
                new Endpoint("GET", "/v1/conversations/{conversationId}/messages",
                        "/v1/conversations/matrix/messages", null, "messages:read", 404),
                new Endpoint("POST", "/v1/messages/batch", "/v1/messages/batch", Map.of("messages", List.of(
                        Map.of("conversationId", "matrix", "idempotencyKey", "batch-1",
                                "message", Map.of("type", "TEXT", "text", "batched")))), "messages:write", 0),
                new Endpoint("GET", "/v1/conversations/{conversationId}/messages/{seq}",
                        "/v1/conversations/matrix/messages/1", null, "messages:read", 404),
                new Endpoint("GET", "/v1/conversations/{conversationId}/changes",
                        "/v1/conversations/matrix/changes?afterChangeSeq=0", null, "messages:read", 404),
                new Endpoint("GET", "/v1/conversations/{conversationId}/messages/{seq}/thread",
                        "/v1/conversations/matrix/messages/1/thread", null, "messages:read", 404),
                new Endpoint("PATCH", "/v1/conversations/{conversationId}/messages/{seq}",
                        "/v1/conversations/matrix/messages/1", Map.of("type", "TEXT", "text", "edited"), "messages:write", 404),
                new Endpoint("POST", "/v1/conversations/{conversationId}/messages/{seq}/recall",
                        "/v1/conversations/matrix/messages/1/recall", null, "messages:write", 404),
                new Endpoint("DELETE", "/v1/conversations/{conversationId}/messages/{seq}",
                        "/v1/conversations/matrix/messages/1?for=everyone", null, "messages:write", 404),
                new Endpoint("GET", "/v1/conversations/{conversationId}/messages/{seq}/versions",
                        "/v1/conversations/matrix/messages/1/versions", null, "messages:read", 404),
                new Endpoint("GET", "/v1/me/conversations", "/v1/me/conversations", null, "messages:read", 0, "alice"),
                new Endpoint("GET", "/v1/me/conversations/{conversationId}", "/v1/me/conversations/matrix", null,
                        "messages:read", 0, "alice"),
                new Endpoint("PATCH", "/v1/me/conversations/{conversationId}", "/v1/me/conversations/matrix",
                        Map.of("pinned", true), "messages:write", 0, "alice"),
                new Endpoint("POST", "/v1/me/sync", "/v1/me/sync", Map.of("conversations", Map.of()), "messages:read", 0,
                        "alice"),
                new Endpoint("POST", "/v1/conversations/{conversationId}/read", "/v1/conversations/matrix/read",
                        Map.of("seq", 1), "messages:write", 0, "alice"),
                new Endpoint("GET", "/v1/conversations/{conversationId}/reads", "/v1/conversations/matrix/reads", null,
                        "messages:read", 404),
                new Endpoint("GET", "/v1/conversations/{conversationId}/messages/{seq}/receipts",
                        "/v1/conversations/matrix/messages/1/receipts", null, "messages:read", 404),
                new Endpoint("GET", "/v1/message-settings", "/v1/message-settings", null, "messages:admin", 0),
                new Endpoint("PUT", "/v1/message-settings", "/v1/message-settings", Map.of("retentionDays", 365),
                        "messages:admin", 0),
                new Endpoint("GET", "/v1/message-keys", "/v1/message-keys", null, "messages:admin", 0),
                new Endpoint("POST", "/v1/message-keys/rotate", "/v1/message-keys/rotate", null, "messages:admin", 0),
                // the event names the probing app, so a token of another app is refused (403) rather than publishing
                new Endpoint("POST", "/v1/events", "/v1/events", matrixEvent(), "events:ingest", 403),
                new Endpoint("POST", "/v1/events/batch", "/v1/events/batch", Map.of("events", List.of(matrixEvent())),
                        "events:ingest", 403),
                new Endpoint("PUT", "/v1/routing/rules/{ruleId}", "/v1/routing/rules/matrix", matrixRule(), "routing:admin", 0),
                new Endpoint("POST", "/v1/routing/rules", "/v1/routing/rules", matrixRule(), "routing:admin", 0),
                new Endpoint("GET", "/v1/routing/rules", "/v1/routing/rules", null, "routing:admin", 0),
                new Endpoint("GET", "/v1/routing/rules/{ruleId}", "/v1/routing/rules/matrix", null, "routing:admin", 404),
                new Endpoint("GET", "/v1/routing/rules/{ruleId}/history", "/v1/routing/rules/matrix/history", null,
                        "routing:admin", 404),
                new Endpoint("POST", "/v1/routing/dry-run", "/v1/routing/dry-run", Map.of("event", matrixEvent()),
                        "routing:admin", 0),
                new Endpoint("GET", "/v1/routing/events/{eventId}", "/v1/routing/events/matrix-routed", null,
                        "routing:admin", 404),
                new Endpoint("DELETE", "/v1/routing/rules/{ruleId}", "/v1/routing/rules/matrix", null, "routing:admin", 404),
                new Endpoint("GET", "/v1/me/notification-preferences", "/v1/me/notification-preferences", null,
                        "messages:read", 0, "alice"),
                new Endpoint("PUT", "/v1/me/notification-preferences", "/v1/me/notification-preferences",
                        Map.of("preferences", List.of(Map.of("source", "matrix", "mode", "MUTE"))), "messages:write", 0,
                        "alice"));
    }

    private static Map<String, Object> matrixRule() {
        return Map.of("name", "matrix", "match", Map.of("source", "matrix"),
                "targets", List.of(Map.of("type", "CONVERSATION", "conversationId", "matrix")),
                "content", Map.of("text", "probed"));
    }

    private Map<String, Object> matrixEvent() {
        return Map.of("eventId", "matrix-" + UUID.randomUUID(), "appId", appId, "source", "matrix", "eventType", "probed",
                "occurredAt", "2026-11-27T10:15:30Z", "entity", Map.of("type", "probe", "id", "1"));
    }
}
