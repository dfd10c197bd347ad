package io.switchboard.auth.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.switchboard.auth.AuthProperties;
import io.switchboard.auth.audit.AuditLog;
import io.switchboard.auth.secrets.SecretsCipher;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ES256 (ECDSA P-256) keys that sign every Switchboard token, shared by all instances through
 * the database, private parts encrypted. Rotation keeps an overlap: a new key is published in the
 * JWKS {@code signingKeyOverlap} before it starts signing, so verifiers already know it; a retired
 * key leaves the JWKS, after which the tokens it signed stop verifying (within the verifiers' JWKS
 * cache time). The first key is created on first use and signs at once.
 */
@Component
public class SigningKeys {

    private static final Duration CACHE_TTL = Duration.ofSeconds(15);

    /** A stored key: public half, encrypted private half, and its schedule. */
    public record StoredKey(String keyId, ECKey publicKey, Instant createdAt, Instant activatesAt, Instant retiredAt) {
    }

    private final JdbcClient jdbc;
    private final SecretsCipher cipher;
    private final AuthProperties properties;
    private final AuditLog audit;
    private volatile List<StoredKey> cached = List.of();
    private volatile Instant cachedAt = Instant.EPOCH;
    private volatile ECKey signing;
    private volatile String signingKeyId;

    SigningKeys(JdbcClient jdbc, SecretsCipher cipher, AuthProperties properties, AuditLog audit) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.properties = properties;
        this.audit = audit;
    }

    /** The JWKS: every key that is not retired, newest first (public halves only). */
    public JWKSource<SecurityContext> publishedKeys() {
        return (selector, context) -> selector.select(new JWKSet(published().stream()
                .map(k -> (JWK) k.publicKey()).toList()));
    }

    /** Only the key that signs new tokens. */
    public JWKSource<SecurityContext> signingKey() {
        return (selector, context) -> selector.select(new JWKSet(currentSigningKey()));
    }

    /** Every stored key with its schedule. */
    public List<StoredKey> all() {
        return jdbc.sql("SELECT key_id, public_jwk, created_at, activates_at, retired_at FROM signing_keys "
                        + "ORDER BY activates_at DESC")
                .query((rs, n) -> new StoredKey(rs.getString(1), parse(rs.getString(2)),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getObject(4, OffsetDateTime.class).toInstant(),
                        rs.getObject(5, OffsetDateTime.class) == null ? null : rs.getObject(5, OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Creates the next key: published now, signing after the overlap. */
    @Transactional
    public StoredKey rotate(String actor) {
        StoredKey key = generate(Instant.now().truncatedTo(ChronoUnit.MILLIS).plus(properties.signingKeyOverlap()));
        audit.success(actor, "signing-key.rotated", null, "key " + key.keyId() + " signs from " + key.activatesAt());
        refresh();
        return key;
    }

    /** Removes a key from the JWKS. The key that currently signs cannot be retired. */
    @Transactional
    public void retire(String actor, String keyId) {
        StoredKey key = all().stream().filter(k -> k.keyId().equals(keyId) && k.retiredAt() == null).findFirst()
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No published signing key " + keyId));
        if (key.keyId().equals(currentSigningKeyId())) {
            throw new ApiException(ErrorCode.SIGNING_KEY_CONFLICT, "Key " + keyId + " signs tokens now; rotate first");
        }
        jdbc.sql("UPDATE signing_keys SET retired_at = ? WHERE key_id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC), keyId).update();
        audit.success(actor, "signing-key.retired", null, "key " + keyId);
        refresh();
    }

    /** Id of the key that signs new tokens now. */
    public synchronized String currentSigningKeyId() {
        currentSigningKey();
        return signingKeyId;
    }

    private synchronized ECKey currentSigningKey() {
        Instant now = Instant.now();
        Optional<StoredKey> active = published().stream().filter(k -> !k.activatesAt().isAfter(now))
                .max(Comparator.comparing(StoredKey::activatesAt));
        if (active.isEmpty()) {
            active = Optional.of(generate(now.truncatedTo(ChronoUnit.MILLIS)));
            refresh();
        }
        String keyId = active.get().keyId();
        if (!keyId.equals(signingKeyId)) {
            signing = loadPrivate(keyId);
            signingKeyId = keyId;
        }
        return signing;
    }

    private List<StoredKey> published() {
        if (Instant.now().isAfter(cachedAt.plus(CACHE_TTL))) {
            refresh();
        }
        return cached;
    }

    private void refresh() {
        cached = all().stream().filter(k -> k.retiredAt() == null).toList();
        cachedAt = Instant.now();
    }

    private StoredKey generate(Instant activatesAt) {
        try {
            String keyId = UUID.randomUUID().toString();
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).keyID(keyId).issueTime(new Date())
                    .generate();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            jdbc.sql("INSERT INTO signing_keys (key_id, public_jwk, private_jwk_ciphertext, created_at, activates_at) "
                            + "VALUES (?, ?, ?, ?, ?)")
                    .params(keyId, key.toPublicJWK().toJSONString(),
                            cipher.encrypt(key.toJSONString().getBytes(StandardCharsets.UTF_8), associatedData(keyId)),
                            now.atOffset(ZoneOffset.UTC), activatesAt.atOffset(ZoneOffset.UTC))
                    .update();
            return new StoredKey(keyId, key.toPublicJWK(), now, activatesAt, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not generate a signing key", e);
        }
    }

    private ECKey loadPrivate(String keyId) {
        byte[] ciphertext = jdbc.sql("SELECT private_jwk_ciphertext FROM signing_keys WHERE key_id = ?")
                .param(keyId).query(byte[].class).single();
        return parse(new String(cipher.decrypt(ciphertext, associatedData(keyId)), StandardCharsets.UTF_8));
    }

    private static String associatedData(String keyId) {
        return "signing-key:" + keyId;
    }

    private static ECKey parse(String json) {
        try {
            return ECKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("Stored signing key is not a valid EC JWK", e);
        }
    }
}
