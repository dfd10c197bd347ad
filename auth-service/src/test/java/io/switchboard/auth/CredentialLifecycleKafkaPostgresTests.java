package io.switchboard.auth;

import io.switchboard.events.auth.AppState;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rotation, revocation, suspension and deletion, and what they do to tokens already issued. */
class CredentialLifecycleKafkaPostgresTests extends AuthServiceTest {

    static final Duration PROPAGATION = Duration.ofSeconds(10);

    @Test
    void certificateRotationWithoutDowntime() {
        TestHttp.Response app = createApp("Rotating");
        String appId = app.text("appId");
        TestMembership.user(appId, "alice");
        String oldCertificate = app.text("appCertificate");
        String oldToken = appToken(appId, oldCertificate, "user-tokens:mint");

        TestHttp.Response secondary = http().postJson("/v1/apps/" + appId + "/certificates", admin(), null);
        assertThat(secondary.status()).isEqualTo(201);
        assertThat(secondary.text("slot")).isEqualTo("SECONDARY");
        String newCertificate = secondary.text("appCertificate");
        assertThat(appToken(appId, newCertificate, "user-tokens:mint")).isNotBlank();
        assertThat(appToken(appId, oldCertificate, "user-tokens:mint")).isNotBlank();

        TestHttp.Response promoted = http().postJson("/v1/apps/" + appId + "/certificates/"
                + secondary.text("certificateId") + "/promote", admin(), null);
        assertThat(promoted.status()).isEqualTo(200);
        TestHttp.Response revokePrimary = http().delete("/v1/apps/" + appId + "/certificates/"
                + secondary.text("certificateId"), admin());
        assertThat(revokePrimary.status()).isEqualTo(409);
        assertThat(revokePrimary.text("code")).isEqualTo("certificate-conflict");

        TestHttp.Response revoked = http().delete("/v1/apps/" + appId + "/certificates/" + app.text("certificateId"),
                admin());
        assertThat(revoked.status()).isEqualTo(204);

        TestHttp.Response refused = requestAppToken(appId, oldCertificate, "user-tokens:mint");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text("code")).isEqualTo("invalid-client");
        assertThat(refused.text("error")).isEqualTo("invalid_client");
        await().atMost(PROPAGATION).until(() -> mintUserToken(oldToken, "alice").status() == 401);
        assertThat(mintUserToken(appToken(appId, newCertificate, "user-tokens:mint"), "alice").status()).isEqualTo(201);
    }

    @Test
    void suspensionStopsNewTokensAtOnceAndOldTokensEverywhere() {
        TestHttp.Response app = createApp("Suspended");
        String appId = app.text("appId");
        TestMembership.user(appId, "alice");
        String certificate = app.text("appCertificate");
        String before = appToken(appId, certificate, "user-tokens:mint");
        assertThat(mintUserToken(before, "alice").status()).isEqualTo(201);

        assertThat(http().postJson("/v1/apps/" + appId + "/suspend", admin(), null).text("status")).isEqualTo("SUSPENDED");

        TestHttp.Response refused = requestAppToken(appId, certificate, "user-tokens:mint");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("code")).isEqualTo("app-suspended");
        assertThat(refused.text("error")).isEqualTo("unauthorized_client");
        await().atMost(PROPAGATION).until(() -> mintUserToken(before, "alice").status() == 401);

        http().postJson("/v1/apps/" + appId + "/resume", admin(), null);
        await().atMost(PROPAGATION).until(() -> requestAppToken(appId, certificate, "user-tokens:mint").status() == 200);
        String after = appToken(appId, certificate, "user-tokens:mint");
        await().atMost(PROPAGATION).until(() -> mintUserToken(after, "alice").status() == 201);
        assertThat(mintUserToken(before, "alice").status()).as("tokens from before the suspension stay refused")
                .isEqualTo(401);
    }

    @Test
    void deletedAppGetsNoTokenAndIsTombstoned() {
        TestHttp.Response app = createApp("Deleted");
        String appId = app.text("appId");

        assertThat(http().delete("/v1/apps/" + appId, admin()).status()).isEqualTo(204);

        assertThat(http().get("/v1/apps/" + appId, admin()).status()).isEqualTo(404);
        TestHttp.Response refused = requestAppToken(appId, app.text("appCertificate"), "user-tokens:mint");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(TopicProbe.<AppState>awaitRecord(Topics.AUTH_APPS.name(),
                r -> r.key().equals(appId) && r.value() == null)).isNotEmpty();
    }

    @Test
    void tokenRequestErrorsAreProblemsThatAreAlsoOAuthErrors() {
        TestHttp.Response app = createApp("Errors");
        String appId = app.text("appId");
        String certificate = app.text("appCertificate");

        TestHttp.Response badScope = requestAppToken(appId, certificate, "platform:everything");
        TestHttp.Response badGrant = http().postForm("/oauth2/token", basic(appId, certificate), "grant_type=password");
        TestHttp.Response noGrant = http().postForm("/oauth2/token", basic(appId, certificate), "scope=x");
        TestHttp.Response unknownApp = requestAppToken("no-such-app", certificate, "user-tokens:mint");

        assertThat(badScope.status()).isEqualTo(400);
        assertThat(badScope.contentType()).startsWith("application/problem+json");
        assertThat(badScope.text("code")).isEqualTo("invalid-scope");
        assertThat(badScope.text("error")).isEqualTo("invalid_scope");
        assertThat(badGrant.status()).isEqualTo(400);
        assertThat(badGrant.text("code")).isEqualTo("unsupported-grant-type");
        assertThat(noGrant.status()).isEqualTo(400);
        assertThat(noGrant.text("error")).isEqualTo("invalid_request");
        assertThat(unknownApp.status()).isEqualTo(401);
        assertThat(unknownApp.text("code")).isEqualTo("invalid-client");
    }

    @Test
    void guessingCertificatesLocksOutTheGuessersSourceButNeverTheAppsOwnClients() {
        TestHttp.Response app = createApp("Brute-forced");
        String appId = app.text("appId");
        Map<String, String> guesser = Map.of("X-Forwarded-For", "203.0.113.7");

        int status = 0;
        for (int attempt = 0; attempt < 25 && status != 429; attempt++) {
            status = requestAppToken(appId, "guess-" + attempt, guesser).status();
        }
        TestHttp.Response guesserWithTheCertificate = requestAppToken(appId, app.text("appCertificate"), guesser);
        TestHttp.Response theAppsOwnClient = requestAppToken(appId, app.text("appCertificate"),
                Map.of("X-Forwarded-For", "198.51.100.2"));

        assertThat(status).isEqualTo(429);
        assertThat(guesserWithTheCertificate.status()).isEqualTo(429);
        assertThat(guesserWithTheCertificate.text("code")).isEqualTo("rate-limited");
        assertThat(theAppsOwnClient.status()).as(theAppsOwnClient.body()).isEqualTo(200);
    }

    private TestHttp.Response requestAppToken(String appId, String certificate, Map<String, String> headers) {
        return http().postForm("/oauth2/token", basic(appId, certificate),
                "grant_type=client_credentials&scope=user-tokens:mint", headers);
    }
}
