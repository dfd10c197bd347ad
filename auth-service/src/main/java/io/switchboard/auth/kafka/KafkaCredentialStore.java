package io.switchboard.auth.kafka;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The {@code kafka_credentials} table: which credentials exist, never their passwords. */
@Repository
class KafkaCredentialStore {

    private static final RowMapper<KafkaCredential> CREDENTIAL = (rs, n) -> new KafkaCredential(
            rs.getString("credential_id"), rs.getString("app_id"), rs.getString("username"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("created_by"),
            rs.getObject("revoked_at", OffsetDateTime.class) == null ? null
                    : rs.getObject("revoked_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;

    KafkaCredentialStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the app's row, so credential changes of one app are serialized, and returns its status
     * ({@code ACTIVE}, {@code SUSPENDED}); empty if there is no such app.
     */
    Optional<String> lockApp(String appId) {
        return jdbc.sql("SELECT status FROM apps WHERE app_id = ? FOR UPDATE").param(appId).query(String.class)
                .optional();
    }

    boolean appExists(String appId) {
        return jdbc.sql("SELECT COUNT(*) FROM apps WHERE app_id = ?").param(appId).query(Integer.class).single() > 0;
    }

    void insert(KafkaCredential credential) {
        jdbc.sql("""
                        INSERT INTO kafka_credentials (credential_id, app_id, username, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?)""")
                .params(credential.credentialId(), credential.appId(), credential.username(),
                        credential.createdAt().atOffset(ZoneOffset.UTC), credential.createdBy())
                .update();
    }

    List<KafkaCredential> all(String appId) {
        return jdbc.sql("SELECT * FROM kafka_credentials WHERE app_id = ? ORDER BY created_at, credential_id")
                .param(appId).query(CREDENTIAL).list();
    }

    Optional<KafkaCredential> find(String appId, String credentialId) {
        return jdbc.sql("SELECT * FROM kafka_credentials WHERE app_id = ? AND credential_id = ?")
                .params(appId, credentialId).query(CREDENTIAL).optional();
    }

    void revoke(String credentialId, Instant at) {
        jdbc.sql("UPDATE kafka_credentials SET revoked_at = ? WHERE credential_id = ? AND revoked_at IS NULL")
                .params(at.atOffset(ZoneOffset.UTC), credentialId).update();
    }
}
