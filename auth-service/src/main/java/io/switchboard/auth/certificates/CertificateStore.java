package io.switchboard.auth.certificates;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The {@code app_certificates} table. */
@Repository
class CertificateStore {

    private static final RowMapper<AppCertificate> CERTIFICATE = (rs, n) -> new AppCertificate(
            rs.getString("certificate_id"), rs.getString("app_id"),
            rs.getString("slot") == null ? null : AppCertificate.Slot.valueOf(rs.getString("slot")),
            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            rs.getObject("revoked_at", OffsetDateTime.class) == null ? null
                    : rs.getObject("revoked_at", OffsetDateTime.class).toInstant());

    /** An active certificate's id with its encrypted secret. */
    record Secret(String certificateId, byte[] ciphertext) {
    }

    private final JdbcClient jdbc;

    CertificateStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the app's row (certificate changes of one app are serialized); false if there is no such app. */
    boolean lockApp(String appId) {
        return jdbc.sql("SELECT app_id FROM apps WHERE app_id = ? FOR UPDATE").param(appId).query(String.class)
                .optional().isPresent();
    }

    void insert(AppCertificate certificate, byte[] ciphertext) {
        jdbc.sql("""
                        INSERT INTO app_certificates (certificate_id, app_id, slot, secret_ciphertext, created_at)
                        VALUES (?, ?, ?, ?, ?)""")
                .params(certificate.certificateId(), certificate.appId(), certificate.slot().name(), ciphertext,
                        certificate.createdAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    List<AppCertificate> all(String appId) {
        return jdbc.sql("SELECT * FROM app_certificates WHERE app_id = ? ORDER BY created_at")
                .param(appId).query(CERTIFICATE).list();
    }

    Optional<AppCertificate> find(String appId, String certificateId) {
        return jdbc.sql("SELECT * FROM app_certificates WHERE app_id = ? AND certificate_id = ?")
                .params(appId, certificateId).query(CERTIFICATE).optional();
    }

    List<String> activeIds(String appId) {
        return jdbc.sql("SELECT certificate_id FROM app_certificates WHERE app_id = ? AND revoked_at IS NULL "
                        + "ORDER BY slot")
                .param(appId).query(String.class).list();
    }

    List<Secret> activeSecrets(String appId) {
        return jdbc.sql("SELECT certificate_id, secret_ciphertext FROM app_certificates "
                        + "WHERE app_id = ? AND revoked_at IS NULL")
                .param(appId)
                .query((rs, n) -> new Secret(rs.getString(1), rs.getBytes(2)))
                .list();
    }

    void setSlot(String certificateId, AppCertificate.Slot slot) {
        jdbc.sql("UPDATE app_certificates SET slot = ? WHERE certificate_id = ?")
                .params(slot == null ? null : slot.name(), certificateId).update();
    }

    void revoke(String certificateId, Instant at) {
        jdbc.sql("UPDATE app_certificates SET slot = NULL, revoked_at = ? WHERE certificate_id = ?")
                .params(at.atOffset(ZoneOffset.UTC), certificateId).update();
    }
}
