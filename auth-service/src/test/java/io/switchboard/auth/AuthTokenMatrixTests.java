package io.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.auth.keys.SigningKeys;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TokenMatrix;
import io.switchboard.platform.testing.TokenMatrix.Endpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The token matrix over auth-service's bearer endpoints, and the admin login over its admin endpoints. */
class AuthTokenMatrixTests extends AuthServiceTest {

    @Autowired
    JwtEncoder encoder;
    @Autowired
    SigningKeys keys;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    JdbcClient jdbc;

    String appId;
    String certificateId;
    String otherAppId;

    @BeforeEach
    void twoApps() {
        TestHttp.Response app = createApp("Matrix");
        appId = app.text("appId");
        TestMembership.user(appId, "alice");
        certificateId = app.text("certificateId");
        otherAppId = createApp("Other").text("appId");
        // a Kafka credential of the app, as issuing one leaves it in the table (this context's
        // embedded broker has no authorizer, so none can be issued here: the requests that reach
        // Kafka get 503, which the matrix accepts as not refused)
        jdbc.sql("INSERT INTO kafka_credentials (credential_id, app_id, username, created_at, created_by) "
                        + "VALUES (?, ?, ?, CURRENT_TIMESTAMP, 'test')")
                .params(kafkaCredentialId(), appId, "app-" + appId + "-matrix").update();
    }

    private String kafkaCredentialId() {
        return "matrix" + appId.substring(0, 8);
    }

    List<Endpoint> bearerEndpoints() {
        String kafkaCredential = "/v1/kafka-credentials/" + kafkaCredentialId();
        return List.of(new Endpoint("POST", "/v1/users/{userId}/tokens", "/v1/users/alice/tokens", Map.of(),
                        "user-tokens:mint", 0),
                new Endpoint("POST", "/v1/users/{userId}/sign-out", "/v1/users/alice/sign-out", null, "user-tokens:mint", 0),
                new Endpoint("POST", "/v1/tokens/revoke", "/v1/tokens/revoke", Map.of("token", "x"), "user-tokens:mint", 0),
                new Endpoint("POST", "/v1/kafka-credentials", "/v1/kafka-credentials", Map.of(), "kafka-credentials:admin", 0),
                new Endpoint("GET", "/v1/kafka-credentials", "/v1/kafka-credentials", null, "kafka-credentials:admin", 0),
                new Endpoint("DELETE", "/v1/kafka-credentials/{credentialId}", kafkaCredential, null,
                        "kafka-credentials:admin", 404));
    }

    List<Endpoint> adminEndpoints() {
        String app = "/v1/apps/" + appId;
        return List.of(
                new Endpoint("POST", "/v1/apps", "/v1/apps", Map.of("name", "x"), null, 0),
                new Endpoint("GET", "/v1/apps", "/v1/apps", null, null, 0),
                new Endpoint("GET", "/v1/apps/{appId}", app, null, null, 0),
                new Endpoint("PATCH", "/v1/apps/{appId}", app, Map.of("name", "y"), null, 0),
                new Endpoint("DELETE", "/v1/apps/{appId}", app, null, null, 0),
                new Endpoint("POST", "/v1/apps/{appId}/suspend", app + "/suspend", null, null, 0),
                new Endpoint("POST", "/v1/apps/{appId}/resume", app + "/resume", null, null, 0),
                new Endpoint("GET", "/v1/apps/{appId}/certificates", app + "/certificates", null, null, 0),
                new Endpoint("POST", "/v1/apps/{appId}/certificates", app + "/certificates", null, null, 0),
                new Endpoint("POST", "/v1/apps/{appId}/certificates/{certificateId}/promote",
                        app + "/certificates/" + certificateId + "/promote", null, null, 0),
                new Endpoint("DELETE", "/v1/apps/{appId}/certificates/{certificateId}",
                        app + "/certificates/" + certificateId, null, null, 0),
                new Endpoint("GET", "/v1/apps/{appId}/kafka-credentials", app + "/kafka-credentials", null, null, 0),
                new Endpoint("POST", "/v1/apps/{appId}/kafka-credentials", app + "/kafka-credentials", null, null, 0),
                new Endpoint("DELETE", "/v1/apps/{appId}/kafka-credentials/{credentialId}",
                        app + "/kafka-credentials/some-credential", null, null, 0),
                new Endpoint("GET", "/v1/audit", "/v1/audit", null, null, 0),
                new Endpoint("GET", "/v1/signing-keys", "/v1/signing-keys", null, null, 0),
                new Endpoint("POST", "/v1/signing-keys", "/v1/signing-keys", null, null, 0),
                new Endpoint("DELETE", "/v1/signing-keys/{keyId}", "/v1/signing-keys/some-key", null, null, 0));
    }

    @Test
    void matrixCoversEveryEndpoint() {
        TokenMatrix.assertCovers(mappings, Stream.concat(bearerEndpoints().stream(), adminEndpoints().stream()).toList(),
                Set.of());
    }

    @Test
    void bearerEndpointsRefuseBadAndUnderScopedTokens() {
        TokenMatrix.assertRefusals(http(), new AuthTokens(), appId, otherAppId, bearerEndpoints());
    }

    @Test
    void adminEndpointsRefuseAnythingButTheAdminLogin() {
        TokenMatrix.assertAdminOnly(http(), new AuthTokens().valid(appId, "user-tokens:mint"), adminEndpoints());
    }

    /** Tokens as auth-service issues them, plus the bad ones, made with its own encoder and keys. */
    private final class AuthTokens implements TokenMatrix.Tokens {

        @Override
        public String valid(String app, String scope) {
            return sign(app, certificateIdOf(app), scope, Duration.ofMinutes(15));
        }

        @Override
        public String expired(String app, String scope) {
            return sign(app, certificateIdOf(app), scope, Duration.ofMinutes(-5));
        }

        @Override
        public String forged(String app, String scope) {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.currentSigningKeyId())
                        .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(),
                        claims(app, certificateIdOf(app), scope));
                jwt.sign(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String unsigned(String app, String scope) {
            return new PlainJWT(claims(app, certificateIdOf(app), scope)).serialize();
        }

        @Override
        public String withCertificate(String app, String certificate, String scope) {
            return sign(app, certificate, scope, Duration.ofMinutes(15));
        }

        private String certificateIdOf(String app) {
            return http().get("/v1/apps/" + app + "/certificates", admin()).json().get(0).get("certificateId").asString();
        }

        private String sign(String app, String certificate, String scope, Duration lifetime) {
            Instant now = Instant.now();
            JwtClaimsSet claims = JwtClaimsSet.builder().issuer(ISSUER).subject(app)
                    .issuedAt(now.minus(Duration.ofMinutes(10))).expiresAt(now.plus(lifetime))
                    .audience(List.of("auth-service"))
                    .claim("app_id", app).claim("token_use", "app").claim("cert_id", certificate).claim("scope", scope)
                    .build();
            return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.ES256).type("at+jwt").build(),
                    claims)).getTokenValue();
        }

        private static JWTClaimsSet claims(String app, String certificate, String scope) {
            return new JWTClaimsSet.Builder().issuer(ISSUER).subject(app).audience("auth-service")
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(15))))
                    .claim("app_id", app).claim("token_use", "app").claim("cert_id", certificate).claim("scope", scope)
                    .build();
        }
    }
}
