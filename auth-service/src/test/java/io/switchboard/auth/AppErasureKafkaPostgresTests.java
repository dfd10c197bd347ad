package io.switchboard.auth;

import io.switchboard.platform.erasure.AppErasures;
import io.switchboard.platform.testing.TestErasures;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin deletes an app: its certificates go at once, its token revocations with the erasure
 * (tombstoned, so every service's view forgets them), and the audit log keeps both steps.
 */
class AppErasureKafkaPostgresTests extends AuthServiceTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AppErasures erasures;

    @Test
    void deletingAnAppErasesItsRevocationsAndTheAuditLogSaysSo() {
        var app = createApp("Doomed");
        String appId = app.text("appId");
        String appToken = appToken(appId, app.text("appCertificate"), "user-tokens:mint");
        assertThat(http().postJson("/v1/users/alice/sign-out", bearer(appToken), null).status()).isEqualTo(200);

        assertThat(http().delete("/v1/apps/" + appId, admin()).status()).isEqualTo(204);

        String erased = TestErasures.eraseNow(jdbc, erasures, appId);
        assertThat(erased).contains("token_revocations=1");
        assertThat(TestErasures.rowsLeft(jdbc, appId, Set.of("audit_log"))).isEmpty();
        TopicProbe.awaitRecord(Topics.AUTH_REVOCATIONS.name(),
                r -> r.key().equals(Topics.userRevocationKey(appId, "alice")) && r.value() == null);
        await().atMost(Duration.ofSeconds(10)).until(() -> actions(appId).contains("app.erased"));
        assertThat(actions(appId)).contains("app.created", "app.deleted");
    }

    private List<String> actions(String appId) {
        return http().get("/v1/audit?appId=" + appId, admin()).json().get("entries").valueStream()
                .map(entry -> entry.get("action").asString()).toList();
    }
}
