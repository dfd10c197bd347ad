package io.switchboard.push.webhooks.endpoints;

import io.switchboard.push.webhooks.WebhookCipher;
import io.switchboard.schemas.webhooks.WebhookSignature;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The signing secrets of endpoints, encrypted at rest. An endpoint has one current secret; after a
 * rotation the previous one keeps signing beside it until its overlap ends, so receivers can
 * switch without a window in which deliveries fail verification. The plaintext is shown to the
 * app once, when the secret is made.
 */
@Component
public class EndpointSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final WebhookCipher cipher;

    EndpointSecrets(JdbcClient jdbc, WebhookCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** A secret without its value, as the API lists it. */
    public record SecretInfo(String secretId, Instant createdAt, Instant expiresAt) {
    }

    /** Makes the endpoint's first secret; returns its value. */
    String create(String endpointId, Instant now) {
        String secret = newSecret();
        String secretId = "sec_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        jdbc.sql("INSERT INTO webhook_secrets (endpoint_id, secret_id, sealed, created_at, expires_at) VALUES (?, ?, ?, ?, NULL)")
                .params(endpointId, secretId, cipher.encrypt(secret.getBytes(UTF_8), boundTo(endpointId, secretId)),
                        Timestamp.from(now)).update();
        return secret;
    }

    /**
     * Makes a new current secret; the current one signs beside it until {@code oldExpiresAt}, and
     * any older one stops at once (at most two secrets sign at any time). Returns the new value.
     */
    String rotate(String endpointId, Instant now, Instant oldExpiresAt) {
        jdbc.sql("UPDATE webhook_secrets SET expires_at = ? WHERE endpoint_id = ? AND expires_at > ?")
                .params(Timestamp.from(now), endpointId, Timestamp.from(now)).update();
        jdbc.sql("UPDATE webhook_secrets SET expires_at = ? WHERE endpoint_id = ? AND expires_at IS NULL")
                .params(Timestamp.from(oldExpiresAt), endpointId).update();
        jdbc.sql("DELETE FROM webhook_secrets WHERE endpoint_id = ? AND expires_at <= ?")
                .params(endpointId, Timestamp.from(now)).update();
        return create(endpointId, now);
    }

    List<SecretInfo> list(String endpointId, Instant now) {
        return jdbc.sql("SELECT secret_id, created_at, expires_at FROM webhook_secrets WHERE endpoint_id = ? "
                        + "AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC")
                .params(endpointId, Timestamp.from(now))
                .query((rs, row) -> new SecretInfo(rs.getString("secret_id"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("expires_at") == null ? null : rs.getTimestamp("expires_at").toInstant()))
                .list();
    }

    /** The secrets that sign now, newest first, per endpoint. */
    public Map<String, List<String>> signingSecrets(Collection<String> endpointIds, Instant now) {
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        if (endpointIds.isEmpty()) {
            return secrets;
        }
        jdbc.sql("SELECT endpoint_id, secret_id, sealed FROM webhook_secrets WHERE endpoint_id IN (:endpoints) "
                        + "AND (expires_at IS NULL OR expires_at > :now) ORDER BY created_at DESC")
                .param("endpoints", endpointIds).param("now", Timestamp.from(now))
                .query(rs -> {
                    String endpointId = rs.getString("endpoint_id");
                    String secret = new String(cipher.decrypt(rs.getBytes("sealed"),
                            boundTo(endpointId, rs.getString("secret_id"))), UTF_8);
                    secrets.computeIfAbsent(endpointId, id -> new ArrayList<>()).add(secret);
                });
        return secrets;
    }

    private static String boundTo(String endpointId, String secretId) {
        return "webhook-secret/" + endpointId + "/" + secretId;
    }

    /** A Standard Webhooks secret: {@code whsec_} and 32 random bytes in base64. */
    private static String newSecret() {
        return WebhookSignature.SECRET_PREFIX + Base64.getEncoder().encodeToString(randomBytes(32));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
