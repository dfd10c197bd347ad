package io.switchboard.auth;

import com.nimbusds.jwt.SignedJWT;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A new signing key is published before it signs; a retired key leaves the JWKS. */
class SigningKeyRotationKafkaPostgresTests extends AuthServiceTest {

    @Test
    void signingKeysRotateWithOverlap() throws Exception {
        TestHttp.Response app = createApp("Keys");
        String appId = app.text("appId");
        TestMembership.user(appId, "alice");
        String certificate = app.text("appCertificate");
        String oldToken = appToken(appId, certificate, "user-tokens:mint");
        String oldKeyId = SignedJWT.parse(oldToken).getHeader().getKeyID();

        TestHttp.Response rotated = http().postJson("/v1/signing-keys", admin(), null);
        assertThat(rotated.status()).isEqualTo(201);
        String newKeyId = rotated.text("keyId");
        assertThat(rotated.json().get("signing").asBoolean()).isFalse();
        assertThat(http().get("/oauth2/jwks", null).body()).contains(oldKeyId, newKeyId);
        assertThat(SignedJWT.parse(appToken(appId, certificate, "user-tokens:mint")).getHeader().getKeyID())
                .as("during the overlap the old key still signs").isEqualTo(oldKeyId);

        await().pollDelay(Duration.ofSeconds(3)).pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(() ->
                SignedJWT.parse(appToken(appId, certificate, "user-tokens:mint")).getHeader().getKeyID().equals(newKeyId));
        assertThat(mintUserToken(oldToken, "alice").status()).as("tokens of the previous key still verify").isEqualTo(201);

        TestHttp.Response retireCurrent = http().delete("/v1/signing-keys/" + newKeyId, admin());
        assertThat(retireCurrent.status()).isEqualTo(409);
        assertThat(http().delete("/v1/signing-keys/" + oldKeyId, admin()).status()).isEqualTo(204);

        assertThat(http().get("/oauth2/jwks", null).body()).doesNotContain(oldKeyId).contains(newKeyId);
        assertThat(http().get("/v1/signing-keys", admin()).body()).doesNotContain("\"d\"");
    }
}
