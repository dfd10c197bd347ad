package io.switchboard.membership;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token whose key the service has to read from auth-service's key set while auth-service does
 * not answer is not the client's fault: 503 {@code auth-unavailable} with {@code Retry-After}, a
 * problem document, not a 500 (found by the chaos suite while auth-service was starting under load).
 */
class TokenVerificationOutageTests extends ServiceIntegrationTest {

    @AfterEach
    void keySetAnswersAgain() {
        tokens.jwksAnswers(true);
    }

    @Test
    void aTokenThatCannotBeVerifiedWhileTheKeySetIsUnavailableGets503AndIsVerifiedOnceItIsBack() {
        TestApps.active(appId);
        String token = bearer(tokens.appTokenOfANewKey(appId, "users:write"));
        Map<String, Object> users = Map.of("users", List.of(Map.of("userId", "alice")));

        tokens.jwksAnswers(false);
        TestHttp.Response refused = http().postJson("/v1/users/import", token, users);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("code")).isEqualTo("auth-unavailable");
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain("127.0.0.1");

        tokens.jwksAnswers(true);
        // the new key is not in the key set either way: once it can be read, the token is refused as invalid
        assertThat(http().postJson("/v1/users/import", token, users).status()).isEqualTo(401);
    }
}
