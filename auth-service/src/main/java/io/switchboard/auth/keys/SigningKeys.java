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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The ES256 (ECDSA P-256) keys that sign every Switchboard token, kept in the database so all
 * instances and restarts share them. The newest key signs; every stored key is published in the
 * JWKS, so tokens signed with an older key verify until they expire. The first key is generated
 * on first use.
 */
@Component
public class SigningKeys {

    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final JdbcClient jdbc;
    private volatile List<ECKey> cached = List.of();
    private volatile Instant cachedAt = Instant.EPOCH;

    SigningKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every published key, newest first: the JWKS. */
    public JWKSource<SecurityContext> publishedKeys() {
        return (selector, context) -> selector.select(new JWKSet(List.<JWK>copyOf(keys())));
    }

    /** Only the key that signs new tokens. */
    public JWKSource<SecurityContext> signingKey() {
        return (selector, context) -> selector.select(new JWKSet(keys().getFirst()));
    }

    synchronized List<ECKey> keys() {
        if (Instant.now().isAfter(cachedAt.plus(CACHE_TTL)) || cached.isEmpty()) {
            List<ECKey> stored = load();
            if (stored.isEmpty()) {
                generate();
                stored = load();
            }
            cached = stored;
            cachedAt = Instant.now();
        }
        return cached;
    }

    private List<ECKey> load() {
        return jdbc.sql("SELECT jwk FROM signing_keys ORDER BY created_at DESC")
                .query((rs, n) -> parse(rs.getString(1)))
                .list();
    }

    private void generate() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .keyID(UUID.randomUUID().toString())
                    .issueTime(new java.util.Date())
                    .generate();
            jdbc.sql("INSERT INTO signing_keys (key_id, jwk, created_at) VALUES (?, ?, ?)")
                    .params(key.getKeyID(), key.toJSONString(), OffsetDateTime.now(ZoneOffset.UTC))
                    .update();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not generate a signing key", e);
        }
    }

    private static ECKey parse(String json) {
        try {
            return ECKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("Stored signing key is not a valid EC JWK", e);
        }
    }
}
