package io.switchboard.membership;

import io.switchboard.platform.testing.TokenMatrixTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestTokenIssuer;
import io.switchboard.platform.testing.TokenMatrix.Endpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Every membership endpoint refuses bad, foreign and under-scoped tokens. */
class MembershipTokenMatrixTests extends TokenMatrixTest {

    @BeforeEach
    void appsAndAConversationExist() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
        TestUsers.provision(http(), appId, List.of("alice", "zed", "bob"));
        TestHttp.Response department = http().postJson("/v1/directory-groups",
                bearer(TestTokenIssuer.shared().appToken(appId, "users:write")),
                Map.of("groupId", "matrix-dept", "kind", "DEPARTMENT", "name", "Matrix"));
        assertThat(department.status()).as(department.body()).isEqualTo(201);
        http().postJson("/v1/directory-groups/matrix-dept/members",
                bearer(TestTokenIssuer.shared().appToken(appId, "users:write")), Map.of("userIds", List.of("alice")));
        TestHttp.Response created = http().postJson("/v1/conversations",
                bearer(TestTokenIssuer.shared().appToken(appId, "conversations:write")),
                Map.of("conversationId", "matrix", "type", "GROUP",
                        "members", List.of(Map.of("userId", "alice", "role", "OWNER"), Map.of("userId", "zed"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @Override
    protected List<Endpoint> endpoints() {
        // in this order: each runs with a valid token too, and the last one deletes the conversation
        return List.of(
                new Endpoint("POST", "/v1/conversations", "/v1/conversations",
                        Map.of("type", "GROUP", "members", List.of(Map.of("userId", "alice"))), "conversations:write", 0),
                new Endpoint("GET", "/v1/conversations/{conversationId}", "/v1/conversations/matrix", null,
                        "conversations:read", 404),
                new Endpoint("PATCH", "/v1/conversations/{conversationId}", "/v1/conversations/matrix",
                        Map.of("name", "Renamed"), "conversations:write", 404),
                new Endpoint("GET", "/v1/conversations/{conversationId}/members", "/v1/conversations/matrix/members",
                        null, "conversations:read", 404),
                new Endpoint("GET", "/v1/conversations/{conversationId}/members/{userId}",
                        "/v1/conversations/matrix/members/zed", null, "conversations:read", 404),
                new Endpoint("POST", "/v1/conversations/{conversationId}/members", "/v1/conversations/matrix/members",
                        Map.of("members", List.of(Map.of("userId", "bob"))), "conversations:write", 404),
                new Endpoint("PATCH", "/v1/conversations/{conversationId}/members/{userId}",
                        "/v1/conversations/matrix/members/zed", Map.of("role", "ADMIN"), "conversations:write", 404),
                new Endpoint("POST", "/v1/conversations/{conversationId}/owner", "/v1/conversations/matrix/owner",
                        Map.of("userId", "bob"), "conversations:write", 404),
                new Endpoint("DELETE", "/v1/conversations/{conversationId}/members/{userId}",
                        "/v1/conversations/matrix/members/zed", null, "conversations:write", 404),
                new Endpoint("GET", "/v1/users/{userId}/conversations", "/v1/users/alice/conversations", null,
                        "conversations:read", 0),
                new Endpoint("POST", "/v1/users", "/v1/users", Map.of("userId", "newcomer"), "users:write", 0),
                new Endpoint("GET", "/v1/users/{userId}", "/v1/users/alice", null, "users:read", 404),
                new Endpoint("PATCH", "/v1/users/{userId}", "/v1/users/alice", Map.of("displayName", "Alice"),
                        "users:write", 404),
                new Endpoint("GET", "/v1/users", "/v1/users", null, "users:read", 0),
                new Endpoint("POST", "/v1/users/import", "/v1/users/import",
                        Map.of("users", List.of(Map.of("userId", "imported"))), "users:write", 0),
                new Endpoint("POST", "/v1/directory-groups", "/v1/directory-groups",
                        Map.of("groupId", "matrix-tag", "kind", "TAG", "name", "Tag"), "users:write", 0),
                new Endpoint("GET", "/v1/directory-groups/{groupId}", "/v1/directory-groups/matrix-dept", null,
                        "users:read", 404),
                new Endpoint("PATCH", "/v1/directory-groups/{groupId}", "/v1/directory-groups/matrix-dept",
                        Map.of("name", "Renamed"), "users:write", 404),
                new Endpoint("GET", "/v1/directory-groups/{groupId}/members", "/v1/directory-groups/matrix-dept/members",
                        null, "users:read", 404),
                new Endpoint("POST", "/v1/directory-groups/{groupId}/members", "/v1/directory-groups/matrix-dept/members",
                        Map.of("userIds", List.of("bob")), "users:write", 404),
                new Endpoint("POST", "/v1/directory-groups/{groupId}/conversations",
                        "/v1/directory-groups/matrix-dept/conversations", Map.of("conversationId", "dept-chat"),
                        "conversations:write", 404),
                new Endpoint("DELETE", "/v1/directory-groups/{groupId}/members/{userId}",
                        "/v1/directory-groups/matrix-dept/members/bob", null, "users:write", 404),
                new Endpoint("DELETE", "/v1/directory-groups/{groupId}", "/v1/directory-groups/matrix-dept", null,
                        "users:write", 404),
                new Endpoint("DELETE", "/v1/conversations/{conversationId}", "/v1/conversations/matrix", null,
                        "conversations:write", 404));
    }

    @Test
    void anotherAppSeesNoneOfThisAppsConversationsOfAUser() {
        TestHttp.Response own = http().get("/v1/users/alice/conversations",
                bearer(TestTokenIssuer.shared().appToken(appId, "conversations:read")));
        TestHttp.Response foreign = http().get("/v1/users/alice/conversations",
                bearer(TestTokenIssuer.shared().appToken(otherAppId, "conversations:read")));

        assertThat(own.json().get("conversations").size()).isEqualTo(1);
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.json().get("conversations").size()).isZero();
    }

    @Test
    void tokensOfASuspendedAppAreRefused() {
        String token = bearer(TestTokenIssuer.shared().appToken(appId, "conversations:read"));
        assertThat(http().get("/v1/conversations/matrix", token).status()).isEqualTo(200);

        TestApps.suspended(appId);

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> http().get("/v1/conversations/matrix", token).status() == 401);
    }

    @Test
    void requestsOverTheAppsRateLimitGet429WithRetryAfter() {
        TestApps.activeWithRateLimit(appId, 1);
        String token = bearer(TestTokenIssuer.shared().appToken(appId, "conversations:read"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            TestHttp.Response response = http().get("/v1/conversations/matrix", token);
            return response.status() == 429;
        });
        TestHttp.Response limited = http().get("/v1/conversations/matrix", token);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.text("code")).isEqualTo("rate-limited");
    }

    @Test
    void oversizedBodyIsRefusedWith413() {
        String huge = "{\"type\":\"GROUP\",\"name\":\"" + "x".repeat(300_000) + "\"}";
        TestHttp.Response response = http().postJson("/v1/conversations",
                bearer(TestTokenIssuer.shared().appToken(appId, "conversations:write")), huge);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.text("code")).isEqualTo("payload-too-large");
    }
}
