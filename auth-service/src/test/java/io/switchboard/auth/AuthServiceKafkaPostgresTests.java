package io.switchboard.auth;

import com.nimbusds.jwt.SignedJWT;
import io.switchboard.events.auth.AppState;
import io.switchboard.platform.kafka.ViewConsumers;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestPostgres;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.Topics;
import io.switchboard.stack.ApicurioRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.basic;
import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 1)
class AuthServiceKafkaPostgresTests {

    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String ISSUER = "http://auth.switchboard.test";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestPostgres.freshSchemaUrl("auth"));
        registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS));
        registry.add("switchboard.registry.url", () -> ApicurioRegistry.shared().url());
        registry.add("switchboard.auth.admin.password", () -> ADMIN_PASSWORD);
        registry.add("switchboard.security.issuer", () -> ISSUER);
    }

    @LocalServerPort
    int port;
    @Autowired
    org.springframework.boot.kafka.autoconfigure.KafkaProperties kafkaProperties;

    TestHttp http() {
        return new TestHttp("http://127.0.0.1:" + port);
    }

    TestHttp.Response createApp(String name) {
        return http().postJson("/v1/apps", basic("admin", ADMIN_PASSWORD), Map.of("name", name));
    }

    String appToken(String appId, String certificate, String scope) {
        TestHttp.Response token = http().postForm("/oauth2/token", basic(appId, certificate),
                "grant_type=client_credentials&scope=" + scope);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.text("access_token");
    }

    @Test
    void adminCreatesAnAppWhoseCertificateIsShownOnce() {
        TestHttp.Response created = createApp("CRM");

        assertThat(created.status()).isEqualTo(201);
        String appId = created.text("appId");
        assertThat(created.text("appCertificate")).hasSize(64);
        TestHttp.Response fetched = http().get("/v1/apps/" + appId, basic("admin", ADMIN_PASSWORD));
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).doesNotContain(created.text("appCertificate")).doesNotContain("certificate");
    }

    @Test
    void appAdministrationWithoutTheAdminCredentialIsRefusedAsProblem() {
        TestHttp.Response refused = http().postJson("/v1/apps", basic("admin", "wrong"), Map.of("name", "x"));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("code")).isEqualTo("unauthenticated");
    }

    @Test
    void invalidAppRequestIsAProblemWithAStableCode() {
        TestHttp.Response blankName = http().postJson("/v1/apps", basic("admin", ADMIN_PASSWORD), Map.of("name", " "));
        TestHttp.Response notJson = http().postJson("/v1/apps", basic("admin", ADMIN_PASSWORD), "{not json");

        assertThat(blankName.status()).isEqualTo(400);
        assertThat(blankName.text("code")).isEqualTo("validation-failed");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.text("code")).isEqualTo("malformed-request");
        assertThat(notJson.body()).doesNotContain("Exception");
    }

    @Test
    void appExchangesItsCertificateForAnAppTokenAndMintsAUserToken() throws Exception {
        TestHttp.Response app = createApp("Helpdesk");
        String appId = app.text("appId");
        String appToken = appToken(appId, app.text("appCertificate"), "user-tokens:mint");

        SignedJWT appJwt = SignedJWT.parse(appToken);
        assertThat(appJwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(appJwt.getJWTClaimsSet().getStringClaim("app_id")).isEqualTo(appId);
        assertThat(appJwt.getJWTClaimsSet().getStringClaim("token_use")).isEqualTo("app");
        assertThat(appJwt.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER);

        TestHttp.Response user = http().postJson("/v1/users/alice/tokens", bearer(appToken),
                Map.of("deviceId", "laptop-1", "ttlSeconds", 600));
        assertThat(user.status()).as(user.body()).isEqualTo(201);
        SignedJWT userJwt = SignedJWT.parse(user.text("accessToken"));
        assertThat(userJwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(userJwt.getJWTClaimsSet().getStringClaim("app_id")).isEqualTo(appId);
        assertThat(userJwt.getJWTClaimsSet().getStringClaim("token_use")).isEqualTo("user");
        assertThat(userJwt.getJWTClaimsSet().getStringClaim("device_id")).isEqualTo("laptop-1");
        assertThat(userJwt.getJWTClaimsSet().getStringClaim("scope")).contains("push:connect");

        String jwks = http().get("/oauth2/jwks", null).body();
        assertThat(jwks).contains(userJwt.getHeader().getKeyID()).doesNotContain("\"d\"");
    }

    @Test
    void wrongCertificateGetsNoToken() {
        TestHttp.Response app = createApp("Ticketing");

        TestHttp.Response token = http().postForm("/oauth2/token", basic(app.text("appId"), "0".repeat(64)),
                "grant_type=client_credentials&scope=user-tokens:mint");

        assertThat(token.status()).isEqualTo(401);
        assertThat(token.text("error")).isEqualTo("invalid_client");
    }

    @Test
    void mintingAUserTokenNeedsTheMintScope() {
        TestHttp.Response app = createApp("PM");
        String token = appToken(app.text("appId"), app.text("appCertificate"), "messages:read");

        TestHttp.Response refused = http().postJson("/v1/users/bob/tokens", bearer(token), Map.of());

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("code")).isEqualTo("forbidden");
    }

    @Test
    void discoveryMetadataNamesTheTokenEndpointAndJwks() {
        TestHttp.Response metadata = http().get("/.well-known/oauth-authorization-server", null);

        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.text("token_endpoint")).isEqualTo(ISSUER + "/oauth2/token");
        assertThat(metadata.text("jwks_uri")).isEqualTo(ISSUER + "/oauth2/jwks");
    }

    @Test
    void createdAppIsAnnouncedOnAuthAppsWithoutItsCertificate() {
        String appId = createApp("HR").text("appId");

        Map<String, Object> properties = ViewConsumers.properties(kafkaProperties);
        properties.putAll(RegistrySerde.consumerProperties(ApicurioRegistry.shared().registryApiUrl()));
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + appId);
        List<ConsumerRecord<String, AppState>> seen = new ArrayList<>();
        try (KafkaConsumer<String, AppState> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(Topics.AUTH_APPS.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(r -> r.key().equals(appId));
            });
        }
        AppState state = seen.stream().filter(r -> r.key().equals(appId)).findFirst().orElseThrow().value();
        assertThat(state.getName()).isEqualTo("HR");
        assertThat(state.getStatus().name()).isEqualTo("ACTIVE");
        assertThat(state.toString()).doesNotContainIgnoringCase("certificate");
    }
}
