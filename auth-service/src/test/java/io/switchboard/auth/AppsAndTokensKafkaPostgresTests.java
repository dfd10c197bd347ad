package io.switchboard.auth;

import com.nimbusds.jwt.SignedJWT;
import io.switchboard.events.auth.AppState;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.basic;
import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AppsAndTokensKafkaPostgresTests extends AuthServiceTest {

    @Test
    void adminCreatesAnAppWhoseCertificateIsShownOnce() {
        TestHttp.Response created = createApp("CRM");

        String appId = created.text("appId");
        assertThat(created.text("appCertificate")).hasSize(64);
        TestHttp.Response fetched = http().get("/v1/apps/" + appId, admin());
        TestHttp.Response certificates = http().get("/v1/apps/" + appId + "/certificates", admin());
        TestHttp.Response listed = http().get("/v1/apps", admin());
        assertThat(fetched.status()).isEqualTo(200);
        for (TestHttp.Response response : List.of(fetched, certificates, listed)) {
            assertThat(response.body()).doesNotContain(created.text("appCertificate"));
        }
        assertThat(certificates.json().get(0).get("slot").asString()).isEqualTo("PRIMARY");
    }

    @Test
    void appAdministrationWithoutTheAdminCredentialIsRefusedAsProblem() {
        TestHttp.Response refused = http().postJson("/v1/apps", basic("admin", "wrong"), Map.of("name", "x"));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("code")).isEqualTo("unauthenticated");
    }

    @Test
    void invalidAppRequestsAreProblemsWithStableCodes() {
        TestHttp.Response blankName = http().postJson("/v1/apps", admin(), Map.of("name", " "));
        TestHttp.Response notJson = http().postJson("/v1/apps", admin(), "{not json");
        TestHttp.Response unknown = http().get("/v1/apps/no-such-app", admin());
        TestHttp.Response tooLarge = http().postJson("/v1/apps", admin(), Map.of("name", "x".repeat(300_000)));

        assertThat(blankName.status()).isEqualTo(400);
        assertThat(blankName.text("code")).isEqualTo("validation-failed");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.text("code")).isEqualTo("malformed-request");
        assertThat(notJson.body()).doesNotContain("Exception");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("code")).isEqualTo("app-not-found");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.text("code")).isEqualTo("payload-too-large");
    }

    @Test
    void appExchangesItsCertificateForAnAppTokenAndMintsAUserToken() throws Exception {
        TestHttp.Response app = createApp("Helpdesk");
        String appId = app.text("appId");
        TestMembership.user(appId, "alice");
        String appToken = appToken(appId, app.text("appCertificate"), "user-tokens:mint");

        SignedJWT appJwt = SignedJWT.parse(appToken);
        assertThat(appJwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(appJwt.getHeader().getType().getType()).as("an access token (RFC 9068)").isEqualTo("at+jwt");
        assertThat(appJwt.getJWTClaimsSet().getAudience()).as("meant for the services of its scopes")
                .containsExactly("auth-service");
        assertThat(appJwt.getJWTClaimsSet().getStringClaim("app_id")).isEqualTo(appId);
        assertThat(appJwt.getJWTClaimsSet().getStringClaim("token_use")).isEqualTo("app");
        assertThat(appJwt.getJWTClaimsSet().getStringClaim("cert_id")).isEqualTo(app.text("certificateId"));
        assertThat(appJwt.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER);

        TestHttp.Response user = http().postJson("/v1/users/alice/tokens", bearer(appToken),
                Map.of("deviceId", "laptop-1", "ttlSeconds", 600));
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        SignedJWT userJwt = SignedJWT.parse(user.text("accessToken"));
        assertThat(userJwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(userJwt.getJWTClaimsSet().getStringClaim("app_id")).isEqualTo(appId);
        assertThat(userJwt.getJWTClaimsSet().getStringClaim("token_use")).isEqualTo("user");
        assertThat(userJwt.getJWTClaimsSet().getStringClaim("device_id")).isEqualTo("laptop-1");
        assertThat(userJwt.getJWTClaimsSet().getStringClaim("cert_id")).isEqualTo(app.text("certificateId"));
        assertThat(userJwt.getJWTClaimsSet().getStringClaim("scope")).contains("push:connect");
        assertThat(userJwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(userJwt.getJWTClaimsSet().getAudience())
                .containsExactlyInAnyOrder("membership-service", "message-service", "push-service");

        String jwks = http().get("/oauth2/jwks", null).body();
        assertThat(jwks).contains(userJwt.getHeader().getKeyID()).doesNotContain("\"d\"");
    }

    @Test
    void userTokenLifetimeIsBoundedByTheAppsPolicy() {
        TestHttp.Response app = createApp("Short-lived");
        String appId = app.text("appId");
        TestMembership.user(appId, "alice");
        http().send("PATCH", "/v1/apps/" + appId, admin(), Map.of("maxUserTokenTtlSeconds", 300));
        String token = appToken(appId, app.text("appCertificate"), "user-tokens:mint");

        TestHttp.Response tooLong = http().postJson("/v1/users/alice/tokens", bearer(token), Map.of("ttlSeconds", 600));
        TestHttp.Response defaulted = mintUserToken(token, "alice");

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.text("code")).isEqualTo("validation-failed");
        assertThat(defaulted.status()).isEqualTo(201);
        assertThat(defaulted.json().get("expiresIn").asLong()).isLessThanOrEqualTo(300);
    }

    @Test
    void theDeviceLimitIsSetRemovedAndAnnouncedOnAuthApps() {
        String appId = createApp("Kiosk").text("appId");

        TestHttp.Response limited = http().send("PATCH", "/v1/apps/" + appId, admin(), Map.of("maxDevicesPerUser", 2));
        assertThat(limited.json().get("maxDevicesPerUser").asInt()).isEqualTo(2);
        TopicProbe.awaitRecord(Topics.AUTH_APPS.name(), r -> r.key().equals(appId)
                && r.value() instanceof AppState state && Integer.valueOf(2).equals(state.getMaxDevicesPerUser()));

        TestHttp.Response unlimited = http().send("PATCH", "/v1/apps/" + appId, admin(), Map.of("maxDevicesPerUser", 0));
        assertThat(unlimited.json().get("maxDevicesPerUser").isNull()).isTrue();
        assertThat(http().send("PATCH", "/v1/apps/" + appId, admin(), Map.of("maxDevicesPerUser", -1)).status())
                .isEqualTo(400);
    }

    @Test
    void aUserTokenCarriesNoScopeBeyondItsAppsGrant() throws Exception {
        TestHttp.Response app = createApp("Limited");
        String appId = app.text("appId");
        TestMembership.user(appId, "alice");
        assertThat(http().send("PATCH", "/v1/apps/" + appId, admin(), Map.of("scopes",
                List.of("user-tokens:mint", "messages:read"))).status()).isEqualTo(200);
        String token = appToken(appId, app.text("appCertificate"), "user-tokens:mint");

        TestHttp.Response beyond = http().postJson("/v1/users/alice/tokens", bearer(token),
                Map.of("scopes", List.of("messages:read", "messages:write", "push:connect")));
        TestHttp.Response defaulted = mintUserToken(token, "alice");

        assertThat(beyond.status()).isEqualTo(403);
        assertThat(beyond.text("code")).isEqualTo("scope-not-allowed");
        assertThat(beyond.text("detail")).contains("messages:write", "push:connect");
        assertThat(defaulted.status()).as(defaulted.body()).isEqualTo(201);
        assertThat(SignedJWT.parse(defaulted.text("accessToken")).getJWTClaimsSet().getStringClaim("scope"))
                .isEqualTo("messages:read");

        assertThat(http().send("PATCH", "/v1/apps/" + appId, admin(), Map.of("scopes", List.of("user-tokens:mint")))
                .status()).isEqualTo(200);
        TestHttp.Response none = mintUserToken(appToken(appId, app.text("appCertificate"), "user-tokens:mint"), "alice");
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.text("code")).isEqualTo("scope-not-allowed");
    }

    @Test
    void anAppsGrantNamesOnlyKnownScopes() {
        TestHttp.Response refused = http().postJson("/v1/apps", admin(), Map.of("name", "Greedy",
                "scopes", List.of("messages:read", "everything:admin")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("detail")).contains("everything:admin");
    }

    @Test
    void onlyTheAppsActiveUsersGetTokens() {
        TestHttp.Response app = createApp("Directory");
        String appId = app.text("appId");
        String token = appToken(appId, app.text("appCertificate"), "user-tokens:mint");

        TestHttp.Response unknown = mintUserToken(token, "carol");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.text("code")).isEqualTo("user-not-found");
        assertThat(unknown.text("detail")).contains("carol", "provision it first");

        // provisioned a moment before the request, as an app does: still on its way to the view
        TestMembership.user(appId, "carol");
        assertThat(mintUserToken(token, "carol").status()).isEqualTo(201);

        TestMembership.deactivatedUser(appId, "carol");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            TestHttp.Response deactivated = mintUserToken(token, "carol");
            assertThat(deactivated.status()).isEqualTo(409);
            assertThat(deactivated.text("code")).isEqualTo("user-deactivated");
        });
        TestMembership.user(createApp("Other directory").text("appId"), "dave");
        assertThat(mintUserToken(token, "dave").text("code")).as("another app's user").isEqualTo("user-not-found");
    }

    @Test
    void mintingAUserTokenNeedsTheMintScope() {
        TestHttp.Response app = createApp("PM");
        // a token of message-service's scopes is not even meant for auth-service (aud)
        String token = appToken(app.text("appId"), app.text("appCertificate"), "messages:read");

        TestHttp.Response refused = mintUserToken(token, "bob");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.text("detail")).contains("aud");
    }

    @Test
    void discoveryMetadataNamesTheTokenEndpointAndJwks() {
        TestHttp.Response metadata = http().get("/.well-known/oauth-authorization-server", null);

        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.text("token_endpoint")).isEqualTo(ISSUER + "/oauth2/token");
        assertThat(metadata.text("jwks_uri")).isEqualTo(ISSUER + "/oauth2/jwks");
    }

    @Test
    void openApiDocumentsTheEndpointsAndTheirProblems() {
        TestHttp.Response docs = http().get("/v3/api-docs", null);

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body()).contains("/v1/users/{userId}/tokens", "/v1/apps/{appId}/certificates",
                "\"Problem\"", "rate-limited", "payload-too-large", "app-suspended");
    }

    @Test
    void createdAppIsAnnouncedOnAuthAppsWithoutItsCertificate() {
        TestHttp.Response app = createApp("HR");
        String appId = app.text("appId");

        List<ConsumerRecord<String, AppState>> records = TopicProbe.awaitRecord(Topics.AUTH_APPS.name(),
                r -> r.key().equals(appId));
        AppState state = records.stream().filter(r -> r.key().equals(appId)).findFirst().orElseThrow().value();
        assertThat(state.getName()).isEqualTo("HR");
        assertThat(state.getStatus().name()).isEqualTo("ACTIVE");
        assertThat(state.getActiveCertificateIds()).containsExactly(app.text("certificateId"));
        assertThat(state.toString()).doesNotContain(app.text("appCertificate"));
    }
}
