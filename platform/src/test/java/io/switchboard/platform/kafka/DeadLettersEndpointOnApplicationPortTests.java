package io.switchboard.platform.kafka;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.security.Scopes;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator who exposes {@code deadletters} without a separate management port still does not
 * open it to tokens: any app holds a valid token, so on the application port the endpoint refuses
 * every caller, while health and metrics stay public.
 */
@TestPropertySource(properties = {
        DeadLettersTestApplication.PROPERTIES,
        "management.endpoints.web.exposure.include=health,prometheus,deadletters"})
class DeadLettersEndpointOnApplicationPortTests extends ServiceIntegrationTest {

    @Test
    void appTokenWithEveryScopeIsRefused() {
        TestApps.active(appId);
        String appToken = bearer(tokens.appToken(appId, Scopes.APP_DEFAULT.toArray(String[]::new)));

        assertThat(http().get("/actuator/deadletters", appToken).status()).isEqualTo(403);
        assertThat(http().postJson("/actuator/deadletters", appToken, Map.of("topic", "integration.events")).status())
                .isEqualTo(403);
        assertThat(http().get("/actuator", appToken).status()).isEqualTo(403);
    }

    @Test
    void userTokenAndNoTokenAreRefused() {
        TestApps.active(appId);

        assertThat(http().get("/actuator/deadletters", bearer(tokens.userToken(appId, "alice"))).status()).isEqualTo(403);
        assertThat(http().get("/actuator/deadletters", null).status()).isEqualTo(401);
    }

    @Test
    void healthAndMetricsStayPublic() {
        assertThat(http().get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(http().get("/actuator/prometheus", null).status()).isEqualTo(200);
    }
}
