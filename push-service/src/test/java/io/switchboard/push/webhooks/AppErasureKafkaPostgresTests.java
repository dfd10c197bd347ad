package io.switchboard.push.webhooks;

import io.switchboard.platform.erasure.AppErasures;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestErasures;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Deleting an app erases its webhook endpoints (their secrets and deliveries with them) and leaves the record. */
class AppErasureKafkaPostgresTests extends WebhookIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AppErasures erasures;

    @Test
    void deletingAnAppErasesItsWebhookEndpoints() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            register(receiver);
            registerUrl(receiver.url(), null);
            assertThat(TestErasures.rowsLeft(jdbc, appId, Set.of())).containsEntry("webhook_endpoints", 2L);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_secrets s JOIN webhook_endpoints e "
                    + "ON e.endpoint_id = s.endpoint_id WHERE e.app_id = ?", Long.class, appId)).isEqualTo(2);

            TestApps.deleted(appId);

            assertThat(TestErasures.eraseNow(jdbc, erasures, appId)).contains("webhook_endpoints=2");
            assertThat(TestErasures.rowsLeft(jdbc, appId, Set.of())).isEmpty();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_secrets WHERE endpoint_id NOT IN "
                    + "(SELECT endpoint_id FROM webhook_endpoints)", Long.class)).isZero();
        }
    }
}
