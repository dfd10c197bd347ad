package io.switchboard.message.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.ServiceTestInfrastructure;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Rotating an app's data key and the key-encryption key loses no message. */
class MessageKeyRotationKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @BeforeEach
    void appAndVaultExist() {
        TestApps.active(appId);
        TestMembership.group(appId, "vault", "Vault", List.of("alice"));
        await().atMost(Duration.ofSeconds(10)).until(() -> http().get("/v1/conversations/vault/messages",
                userToken()).status() == 200);
    }

    @Test
    void afterRotationNewMessagesUseTheNewKeyAndEarlierOnesStayReadable() {
        send("before rotation", "k1");
        JsonNode before = http().get("/v1/message-keys", appToken()).json().get("keys");
        assertThat(before).hasSize(1);
        long oldKey = before.get(0).get("keyId").asLong();

        TestHttp.Response rotated = http().send("POST", "/v1/message-keys/rotate", appToken(), null);
        assertThat(rotated.status()).isEqualTo(200);
        JsonNode after = rotated.json().get("keys");
        assertThat(after).hasSize(2);
        long newKey = after.valueStream().filter(k -> k.get("primary").asBoolean()).findFirst().orElseThrow()
                .get("keyId").asLong();
        assertThat(newKey).isNotEqualTo(oldKey);
        send("after rotation", "k2");

        assertThat(http().get("/v1/conversations/vault/messages", userToken()).json().get("messages").valueStream()
                .map(m -> m.get("text").asString()).toList()).containsExactly("before rotation", "after rotation");
        assertThat(keyIdOf(body(1))).isEqualTo(oldKey);
        assertThat(keyIdOf(body(2))).isEqualTo(newKey);
        assertThat(http().get("/v1/message-keys", userToken()).status()).as("users do not manage keys").isEqualTo(403);
    }

    @Test
    void rotatingTheKeyEncryptionKeyRewrapsAppKeysetsSoTheOldOneCanBeRemoved() throws Exception {
        send("wrapped twice", "k1");
        KeysetHandle original = TinkJsonProtoKeysetFormat.parseKeyset(ServiceTestInfrastructure.KEY_ENCRYPTION_KEYSET,
                InsecureSecretKeyAccess.get());
        KeysetHandle rotated = KeysetHandle.newBuilder(original)
                .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                        .withRandomId().makePrimary())
                .build();
        KeysetHandle.Builder onlyNewBuilder = KeysetHandle.newBuilder(rotated);
        onlyNewBuilder.removeAt(0);
        KeysetHandle onlyNew = onlyNewBuilder.build();
        try {
            assertThat(new MessageKeys(jdbc, transactions, rotated).rewrapAll()).isGreaterThanOrEqualTo(1);
            assertThat(jdbc.sql("SELECT kek_key_id FROM message_keys WHERE app_id = ?").param(appId)
                    .query(Long.class).single()).isEqualTo(Integer.toUnsignedLong(rotated.getPrimary().getId()));

            byte[] plaintext = new MessageKeys(jdbc, transactions, onlyNew).decrypt(appId, body(1), messageId(1));
            assertThat(new String(plaintext, StandardCharsets.UTF_8)).contains("wrapped twice");
            assertThatThrownBy(() -> new MessageKeys(jdbc, transactions, original).keys(appId))
                    .as("the old key-encryption key alone no longer opens the rewrapped keyset")
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            // give the running service its key-encryption key back for the other tests
            KeysetHandle.Builder back = KeysetHandle.newBuilder(rotated);
            back.getAt(0).makePrimary();
            new MessageKeys(jdbc, transactions, back.build()).rewrapAll();
        }
    }

    private void send(String text, String key) {
        assertThat(http().postJson("/v1/conversations/vault/messages", userToken(), Map.of("type", "TEXT", "text", text),
                Map.of("Idempotency-Key", key)).status()).isEqualTo(201);
    }

    private byte[] body(long seq) {
        return jdbc.sql("SELECT body FROM messages WHERE app_id = ? AND conversation_id = 'vault' AND seq = ?")
                .params(appId, seq).query(byte[].class).single();
    }

    private String messageId(long seq) {
        return jdbc.sql("SELECT message_id FROM messages WHERE app_id = ? AND conversation_id = 'vault' AND seq = ?")
                .params(appId, seq).query(String.class).single();
    }

    /** Tink's ciphertext prefix: a version byte, then the id of the key that encrypted it. */
    private static long keyIdOf(byte[] ciphertext) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(ciphertext, 1, 4).getInt());
    }

    private String userToken() {
        return bearer(tokens.userToken(appId, "alice", "messages:read", "messages:write"));
    }

    private String appToken() {
        return bearer(tokens.appToken(appId, "messages:admin"));
    }
}
