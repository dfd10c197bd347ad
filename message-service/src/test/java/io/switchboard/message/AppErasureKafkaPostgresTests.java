package io.switchboard.message;

import io.switchboard.platform.erasure.AppErasures;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestErasures;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Deleting an app erases everything message-service stored for it, and leaves the record of the erasure. */
class AppErasureKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AppErasures erasures;

    @Test
    void deletingAnAppErasesItsMessagesKeysAndReadStatesButNoOtherAppsData() {
        for (String app : List.of(appId, otherAppId)) {
            TestApps.active(app);
            TestMembership.group(app, "team", "Team", List.of("olivia", "alice"));
            await().atMost(Duration.ofSeconds(20)).until(() -> history(app).status() == 200);
            send(app, "one");
            send(app, "two");
        }
        assertThat(TestErasures.rowsLeft(jdbc, appId, Set.of())).containsKeys("messages", "message_keys",
                "conversation_sequences", "idempotency_keys", "user_conversations");

        TestApps.deleted(appId);

        String erased = TestErasures.eraseNow(jdbc, erasures, appId);
        assertThat(erased).contains("messages=2", "message_keys=1");
        assertThat(TestErasures.rowsLeft(jdbc, appId, Set.of())).isEmpty();
        assertThat(TestErasures.rowsLeft(jdbc, otherAppId, Set.of())).containsEntry("messages", 2L);
        Map<String, Object> record = jdbc.queryForMap("SELECT deleted_at, requested_at, finished_at FROM app_erasures "
                + "WHERE app_id = ?", appId);
        assertThat(record.values()).doesNotContainNull();
    }

    private void send(String app, String text) {
        TestHttp.Response sent = http().postJson("/v1/conversations/team/messages", token(app),
                Map.of("type", "TEXT", "text", text), Map.of("Idempotency-Key", app + text));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    }

    private TestHttp.Response history(String app) {
        return http().get("/v1/conversations/team/messages", token(app));
    }

    private String token(String app) {
        return bearer(tokens.userToken(app, "alice", "messages:read", "messages:write"));
    }
}
