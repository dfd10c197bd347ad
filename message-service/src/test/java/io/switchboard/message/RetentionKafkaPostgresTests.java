package io.switchboard.message;

import io.switchboard.message.retention.Retention;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Per-app retention: the job removes older messages with what hangs off them; other apps keep theirs. */
class RetentionKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    Retention retention;
    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void twoAppsWithAGroupEach() {
        for (String app : List.of(appId, otherAppId)) {
            TestApps.active(app);
            TestMembership.group(app, "team", "Team", List.of("alice", "bob"));
            await().atMost(Duration.ofSeconds(10)).until(() -> http().get("/v1/conversations/team/messages",
                    token(app, "bob")).status() == 200);
        }
    }

    @Test
    void messagesOlderThanTheAppsRetentionLeaveHistory() {
        TestHttp.Response set = http().send("PUT", "/v1/message-settings", admin(), Map.of("retentionDays", 1));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("effectiveRetentionDays").asLong()).isEqualTo(1);
        for (String app : List.of(appId, otherAppId)) {
            for (int i = 1; i <= 3; i++) {
                send(app, "message " + i);
            }
        }
        http().send("PATCH", "/v1/conversations/team/messages/1", token(appId, "alice"), Map.of("type", "TEXT", "text", "edited"));
        http().delete("/v1/conversations/team/messages/2", token(appId, "bob"));
        for (String app : List.of(appId, otherAppId)) {
            jdbc.sql("UPDATE messages SET created_at = created_at - INTERVAL '2 days' WHERE app_id = ? AND seq <= 2")
                    .param(app).update();
        }

        retention.removeExpired();

        assertThat(seqs(appId)).containsExactly(3L);
        assertThat(seqs(otherAppId)).as("an app without retention keeps everything").containsExactly(1L, 2L, 3L);
        assertThat(jdbc.sql("SELECT count(*) FROM message_versions WHERE app_id = ?").param(appId).query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM hidden_messages WHERE app_id = ?").param(appId).query(Long.class).single())
                .isZero();
        assertThat(send(appId, "after the cleanup").json().get("seq").asLong()).as("seq is never reused").isEqualTo(4);
    }

    @Test
    void retentionIsValidatedAndCanReturnToTheDefault() {
        assertThat(http().send("PUT", "/v1/message-settings", admin(), Map.of("retentionDays", 0)).text("code"))
                .isEqualTo("validation-failed");
        http().send("PUT", "/v1/message-settings", admin(), Map.of("retentionDays", 30));
        TestHttp.Response cleared = http().send("PUT", "/v1/message-settings", admin(), "{\"retentionDays\": null}");
        assertThat(cleared.json().get("retentionDays").isNull()).isTrue();
        assertThat(http().get("/v1/message-settings", token(appId, "alice")).status()).isEqualTo(403);
    }

    private TestHttp.Response send(String app, String text) {
        TestHttp.Response sent = http().postJson("/v1/conversations/team/messages", token(app, "alice"),
                Map.of("type", "TEXT", "text", text), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        return sent;
    }

    private List<Long> seqs(String app) {
        return http().get("/v1/conversations/team/messages", token(app, "alice")).json().get("messages").valueStream()
                .map(m -> m.get("seq").asLong()).toList();
    }

    private String admin() {
        return bearer(tokens.appToken(appId, "messages:admin"));
    }

    private String token(String app, String userId) {
        return bearer(tokens.userToken(app, userId, "messages:read", "messages:write", "messages:admin"));
    }
}
