package io.switchboard.auth;

import com.nimbusds.jwt.SignedJWT;
import io.switchboard.auth.revocations.Revocations;
import io.switchboard.events.auth.TokenRevocation;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An app ends its users' tokens early, and auth-service mints none for a deactivated user: each
 * revocation is published on auth.revocations (every service's views refuse the tokens from it)
 * and removed with a tombstone once its tokens have expired.
 */
class UserTokenRevocationKafkaPostgresTests extends AuthServiceTest {

    @Autowired
    Revocations revocations;

    private String appId;
    private String appToken;

    @BeforeEach
    void app() {
        TestHttp.Response app = createApp("Revoking");
        appId = app.text("appId");
        appToken = appToken(appId, app.text("appCertificate"), "user-tokens:mint");
        TestMembership.user(appId, "alice");
        TestMembership.user(appId, "bob");
    }

    @Test
    void aDeactivatedUserIsMintedNoToken() {
        assertThat(mintUserToken(appToken, "alice").status()).isEqualTo(201);

        TestMembership.deactivatedUser(appId, "alice");

        TestHttp.Response refused = await().atMost(Duration.ofSeconds(10))
                .until(() -> mintUserToken(appToken, "alice"), response -> response.status() != 201);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("code")).isEqualTo("user-deactivated");
    }

    @Test
    void signingOutEverywherePublishesTheCutOffAndLaterTokensAreIssuedAfterIt() throws Exception {
        TestHttp.Response signedOut = http().postJson("/v1/users/alice/sign-out", bearer(appToken), null);

        assertThat(signedOut.status()).as(signedOut.body()).isEqualTo(200);
        Instant cutOff = Instant.parse(signedOut.text("tokensNotBefore"));
        TokenRevocation published = awaitRevocation(Topics.userRevocationKey(appId, "alice"));
        assertThat(published.getTokensNotBefore()).isEqualTo(cutOff);
        assertThat(published.getTokenId()).isNull();
        Instant issued = SignedJWT.parse(mintUserToken(appToken, "alice").text("accessToken")).getJWTClaimsSet()
                .getIssueTime().toInstant();
        assertThat(issued).isAfterOrEqualTo(cutOff);
    }

    @Test
    void revokingOneTokenPublishesItsIdUntilItExpires() throws Exception {
        String token = mintUserToken(appToken, "alice").text("accessToken");
        String tokenId = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();

        assertThat(http().postJson("/v1/tokens/revoke", bearer(appToken), Map.of("token", token)).status()).isEqualTo(204);

        String key = Topics.tokenRevocationKey(appId, "alice", tokenId);
        assertThat(awaitRevocation(key).getExpiresAt()).isAfter(Instant.now());
        revocations.expire(Instant.now().plus(Duration.ofDays(8)), 1_000);
        TopicProbe.awaitRecord(Topics.AUTH_REVOCATIONS.name(), r -> r.key().equals(key) && r.value() == null);
    }

    @Test
    void anAppRevokesOnlyItsOwnUsersTokens() {
        TestHttp.Response other = createApp("Other");
        TestMembership.user(other.text("appId"), "alice");
        String othersToken = mintUserToken(appToken(other.text("appId"), other.text("appCertificate"), "user-tokens:mint"),
                "alice").text("accessToken");

        TestHttp.Response foreign = http().postJson("/v1/tokens/revoke", bearer(appToken), Map.of("token", othersToken));
        TestHttp.Response garbage = http().postJson("/v1/tokens/revoke", bearer(appToken), Map.of("token", "not-a-token"));
        TestHttp.Response byAUser = http().postJson("/v1/users/bob/sign-out",
                bearer(mintUserToken(appToken, "bob").text("accessToken")), null);

        assertThat(foreign.status()).isEqualTo(403);
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.text("code")).isEqualTo("validation-failed");
        // a user token is meant for the services users call, never for auth-service (aud)
        assertThat(byAUser.status()).isEqualTo(401);
    }

    private static TokenRevocation awaitRevocation(String key) {
        return TopicProbe.<TokenRevocation>awaitRecord(Topics.AUTH_REVOCATIONS.name(), r -> r.key().equals(key) && r.value() != null)
                .stream().filter(r -> r.key().equals(key) && r.value() != null).map(ConsumerRecord::value)
                .reduce((first, second) -> second).orElseThrow();
    }
}
