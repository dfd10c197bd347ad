package io.switchboard.auth;

import io.switchboard.platform.crypto.KeyEncryptionKeyset;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestPostgres;
import io.switchboard.stack.ApicurioRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.Map;
import java.util.function.Supplier;

import static io.switchboard.platform.testing.TestHttp.basic;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * auth-service on real parts (a Kafka broker, the shared Apicurio Registry, a fresh PostgreSQL
 * schema) and what its tests do with it; {@link AuthServiceTest} adds an embedded broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.auth.token-requests-per-minute=20",
        // the tests' own failed admin logins (the token matrix) stay under it; guessing tests go past it
        "switchboard.auth.admin-login-failures-per-minute=40",
        "switchboard.auth.signing-key-overlap=3s"})
abstract class AuthServiceTestSupport {

    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String ISSUER = "http://auth.switchboard.test";
    static final String KEYSET = KeyEncryptionKeyset.newKeysetJson();

    /** Registers what every test context needs, with the broker at {@code kafkaBootstrapServers}. */
    static void infrastructure(DynamicPropertyRegistry registry, Supplier<Object> kafkaBootstrapServers) {
        registry.add("spring.datasource.url", () -> TestPostgres.freshSchemaUrl("auth"));
        registry.add("spring.kafka.bootstrap-servers", kafkaBootstrapServers);
        registry.add("switchboard.registry.url", () -> ApicurioRegistry.shared().url());
        registry.add("switchboard.auth.admin.password", () -> ADMIN_PASSWORD);
        registry.add("switchboard.auth.key-encryption.keyset", () -> KEYSET);
        registry.add("switchboard.security.issuer", () -> ISSUER);
    }

    @LocalServerPort
    int port;

    TestHttp http() {
        return new TestHttp("http://127.0.0.1:" + port);
    }

    static String admin() {
        return basic("admin", ADMIN_PASSWORD);
    }

    /** A new app as the admin receives it (appId, appCertificate, certificateId...). */
    TestHttp.Response createApp(String name) {
        TestHttp.Response created = http().postJson("/v1/apps", admin(), Map.of("name", name));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created;
    }

    TestHttp.Response requestAppToken(String appId, String certificate, String scope) {
        return http().postForm("/oauth2/token", basic(appId, certificate), "grant_type=client_credentials&scope=" + scope);
    }

    String appToken(String appId, String certificate, String scope) {
        TestHttp.Response token = requestAppToken(appId, certificate, scope);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.text("access_token");
    }

    TestHttp.Response mintUserToken(String appToken, String userId) {
        return http().postJson("/v1/users/" + userId + "/tokens", TestHttp.bearer(appToken), Map.of());
    }
}
