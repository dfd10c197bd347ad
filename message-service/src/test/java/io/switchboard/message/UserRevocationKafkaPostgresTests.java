package io.switchboard.message;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestRevocations;
import io.switchboard.platform.testing.TestTokenIssuer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * User tokens stop working in the service as soon as it reads that their user was deactivated or
 * signed out everywhere, or that the token was revoked (from its own views, no call per request);
 * the app's own token and the user's later tokens keep working.
 */
class UserRevocationKafkaPostgresTests extends ServiceIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String INBOX = "/v1/me/conversations";

    @BeforeEach
    void users() {
        TestApps.active(appId);
        TestMembership.user(appId, "alice");
    }

    @Test
    void aDeactivatedUsersTokensAreRefusedAndTheirAppsAreNot() {
        String token = bearer(tokens.userToken(appId, "alice", "messages:read"));
        assertThat(http().get(INBOX, token).status()).isEqualTo(200);

        TestMembership.deactivatedUser(appId, "alice");

        TestHttp.Response refused = awaitRefused(token);
        assertThat(refused.text("code")).isEqualTo("unauthenticated");
        assertThat(refused.text("detail")).contains("The user is deactivated");
        assertThat(http().get("/v1/routing/rules", bearer(tokens.appToken(appId, "routing:admin"))).status()).isEqualTo(200);
    }

    @Test
    void aSignOutRefusesEarlierTokensOnlyAndARevocationItsOneToken() {
        Instant signOut = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String earlier = bearer(tokens.userToken(appId, "alice", "messages:read"));
        String later = bearer(tokens.userTokenIssuedAt(signOut.plusSeconds(1), appId, "alice", "messages:read"));

        TestRevocations.signedOut(appId, "alice", signOut);
        assertThat(awaitRefused(earlier).text("detail")).contains("signed out everywhere");
        assertThat(http().get(INBOX, later).status()).isEqualTo(200);

        TestRevocations.tokenRevoked(appId, "alice", TestTokenIssuer.tokenId(later.substring("Bearer ".length())));
        assertThat(awaitRefused(later).text("detail")).contains("The token was revoked");
    }

    @Test
    void aTokenMeantForAnotherServiceOrNotAnAccessTokenIsRefused() {
        TestHttp.Response forMembership = http().get(INBOX, bearer(tokens.userTokenFor(List.of("membership-service"),
                appId, "alice", "messages:read")));
        TestHttp.Response plainJwt = http().get(INBOX, bearer(tokens.userTokenOfType("JWT", appId, "alice", "messages:read")));

        assertThat(forMembership.status()).isEqualTo(401);
        assertThat(forMembership.text("detail")).contains("aud");
        assertThat(plainJwt.status()).isEqualTo(401);
        assertThat(http().get(INBOX, bearer(tokens.userTokenFor(List.of("message-service", "push-service"), appId, "alice",
                "messages:read"))).status()).isEqualTo(200);
    }

    private TestHttp.Response awaitRefused(String token) {
        return await().atMost(WAIT).until(() -> http().get(INBOX, token), response -> response.status() == 401);
    }
}
