package io.switchboard.auth;

import io.switchboard.auth.audit.TokenUsage;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the audit log records, that it only grows, and that no secret is readable at rest. */
class AuditAndSecretsKafkaPostgresTests extends AuthServiceTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    TokenUsage usage;

    @Test
    void adminAndCredentialActionsAreAuditedWithActorAppAndOutcome() {
        TestHttp.Response app = createApp("Audited");
        String appId = app.text("appId");
        TestMembership.user(appId, "user-0");
        TestMembership.user(appId, "user-1");
        TestMembership.user(appId, "user-2");
        http().postJson("/v1/apps/" + appId + "/certificates", admin(), null);
        http().postJson("/v1/apps/" + appId + "/suspend", admin(), null);
        http().postJson("/v1/apps/" + appId + "/resume", admin(), null);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                requestAppToken(appId, app.text("appCertificate"), "user-tokens:mint").status() == 200);
        String token = appToken(appId, app.text("appCertificate"), "user-tokens:mint");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> mintUserToken(token, "user-0").status() == 201);
        for (int i = 1; i < 3; i++) {
            assertThat(mintUserToken(token, "user-" + i).status()).isEqualTo(201);
        }
        usage.flush();

        List<JsonNode> entries = http().get("/v1/audit?appId=" + appId, admin()).json().get("entries").valueStream().toList();
        List<String> actions = entries.stream().map(e -> e.get("action").asString()).toList();
        assertThat(actions).contains("app.created", "certificate.issued", "app.suspended", "app.resumed",
                "app-tokens-issued", "user-tokens-minted");
        JsonNode created = entries.stream().filter(e -> e.get("action").asString().equals("app.created")).findFirst().orElseThrow();
        assertThat(created.get("actor").asString()).isEqualTo("admin:admin");
        assertThat(created.get("outcome").asString()).isEqualTo("SUCCESS");
        assertThat(created.get("occurredAt").asString()).isNotBlank();
        JsonNode minted = entries.stream().filter(e -> e.get("action").asString().equals("user-tokens-minted")).findFirst().orElseThrow();
        assertThat(minted.get("detail").asString()).isEqualTo("count=3");
        assertThat(http().get("/v1/audit?appId=" + appId, admin()).body())
                .doesNotContain(app.text("appCertificate")).doesNotContain(token);
    }

    @Test
    void guessingTheAdminPasswordLocksOutTheGuessersSourceOnlyAndEveryFailureIsAudited() {
        Map<String, String> guesser = Map.of("X-Forwarded-For", "203.0.113.9");
        int status = 0;
        int failures = 0;
        for (int attempt = 0; attempt < 60 && status != 429; attempt++) {
            status = http().send("GET", "/v1/apps", TestHttp.basic("admin", "guess-" + attempt), null, guesser).status();
            failures += status == 401 ? 1 : 0;
        }

        assertThat(status).isEqualTo(429);
        assertThat(http().send("GET", "/v1/apps", admin(), null, guesser).status()).as("the guesser, even right").isEqualTo(429);
        assertThat(http().send("GET", "/v1/apps", admin(), null, Map.of("X-Forwarded-For", "198.51.100.9")).status())
                .as("the admin elsewhere").isEqualTo(200);
        List<JsonNode> refused = http().get("/v1/audit?action=admin.login-refused&limit=100", admin()).json().get("entries")
                .valueStream().filter(e -> e.get("actor").asString().equals("address 203.0.113.9")).toList();
        assertThat(refused).hasSize(failures);
        assertThat(refused.getFirst().get("outcome").asString()).isEqualTo("REFUSED");
        assertThat(refused.getFirst().get("detail").asString()).startsWith("user=admin");
    }

    @Test
    void theAuditLogIsAppendOnly() {
        createApp("Append-only");

        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_log SET outcome = 'REFUSED'").update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_log").update())
                .hasMessageContaining("append-only");
    }

    @Test
    void neitherCertificatesNorSigningKeysAreReadableInTheDatabase() {
        TestHttp.Response app = createApp("At rest");
        appToken(app.text("appId"), app.text("appCertificate"), "user-tokens:mint");

        List<byte[]> certificates = jdbc.sql("SELECT secret_ciphertext FROM app_certificates").query(byte[].class).list();
        assertThat(certificates).isNotEmpty().noneMatch(c -> new String(c, StandardCharsets.ISO_8859_1)
                .contains(app.text("appCertificate")));
        List<String> publicKeys = jdbc.sql("SELECT public_jwk FROM signing_keys").query(String.class).list();
        assertThat(publicKeys).isNotEmpty().noneMatch(k -> k.contains("\"d\""));
        List<byte[]> privateKeys = jdbc.sql("SELECT private_jwk_ciphertext FROM signing_keys").query(byte[].class).list();
        assertThat(privateKeys).noneMatch(k -> new String(k, StandardCharsets.ISO_8859_1).contains("\"d\""));
    }
}
