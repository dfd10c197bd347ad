package io.switchboard.auth.certificates;

import io.switchboard.auth.apps.AppStatePublisher;
import io.switchboard.auth.audit.AuditLog;
import io.switchboard.auth.secrets.SecretsCipher;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * App Certificates and their rotation without downtime: issue a SECONDARY, switch clients to it,
 * {@link #promote} it to PRIMARY (the old one becomes SECONDARY), then {@link #revoke} the old one.
 * Both active certificates authenticate the app. Every change is announced on {@code auth.apps}:
 * services refuse tokens obtained with a revoked certificate as soon as they have read it.
 *
 * <p>A certificate's secret is returned once, when it is issued; it is stored encrypted (so it
 * can verify signatures) and never returned, logged or published again.
 */
@Service
public class Certificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CertificateStore store;
    private final SecretsCipher cipher;
    private final AppStatePublisher publisher;
    private final AuditLog audit;

    Certificates(CertificateStore store, SecretsCipher cipher, AppStatePublisher publisher, AuditLog audit) {
        this.store = store;
        this.cipher = cipher;
        this.publisher = publisher;
        this.audit = audit;
    }

    /** A certificate with its secret, as returned once at issue. */
    public record IssuedCertificate(AppCertificate certificate, String secret) {
    }

    /** Issues the first (PRIMARY) certificate of a new app, inside the app's creation. */
    @Transactional(propagation = Propagation.MANDATORY)
    public IssuedCertificate issueFirst(String appId) {
        return issue(appId, AppCertificate.Slot.PRIMARY);
    }

    /**
     * Issues a new certificate: SECONDARY, or PRIMARY for an app that has none.
     *
     * @throws ApiException {@code certificate-conflict} if the app already has a SECONDARY
     */
    @Transactional
    public IssuedCertificate issueNext(String actor, String appId) {
        requireApp(appId);
        List<AppCertificate> active = store.all(appId).stream().filter(AppCertificate::isActive).toList();
        if (active.stream().anyMatch(c -> c.slot() == AppCertificate.Slot.SECONDARY)) {
            throw new ApiException(ErrorCode.CERTIFICATE_CONFLICT,
                    "The app already has a secondary certificate; promote or revoke it first");
        }
        boolean hasPrimary = active.stream().anyMatch(c -> c.slot() == AppCertificate.Slot.PRIMARY);
        IssuedCertificate issued = issue(appId, hasPrimary ? AppCertificate.Slot.SECONDARY : AppCertificate.Slot.PRIMARY);
        publisher.publish(appId);
        audit.success(actor, "certificate.issued", appId, "certificate " + issued.certificate().certificateId()
                + " as " + issued.certificate().slot());
        return issued;
    }

    /** Makes the SECONDARY certificate PRIMARY; the former PRIMARY becomes SECONDARY. */
    @Transactional
    public List<AppCertificate> promote(String actor, String appId, String certificateId) {
        requireApp(appId);
        AppCertificate promoted = activeCertificate(appId, certificateId);
        if (promoted.slot() != AppCertificate.Slot.SECONDARY) {
            throw new ApiException(ErrorCode.CERTIFICATE_CONFLICT, "Only the secondary certificate can be promoted");
        }
        Optional<AppCertificate> primary = store.all(appId).stream()
                .filter(c -> c.isActive() && c.slot() == AppCertificate.Slot.PRIMARY).findFirst();
        primary.ifPresent(p -> store.setSlot(p.certificateId(), null));
        store.setSlot(certificateId, AppCertificate.Slot.PRIMARY);
        primary.ifPresent(p -> store.setSlot(p.certificateId(), AppCertificate.Slot.SECONDARY));
        publisher.publish(appId);
        audit.success(actor, "certificate.promoted", appId, "certificate " + certificateId + " is now PRIMARY");
        return list(appId);
    }

    /**
     * Revokes the SECONDARY certificate: no new token can be obtained with it, and tokens obtained
     * with it stop verifying everywhere once services read the change.
     */
    @Transactional
    public void revoke(String actor, String appId, String certificateId) {
        requireApp(appId);
        AppCertificate certificate = activeCertificate(appId, certificateId);
        if (certificate.slot() == AppCertificate.Slot.PRIMARY) {
            throw new ApiException(ErrorCode.CERTIFICATE_CONFLICT,
                    "The primary certificate cannot be revoked; promote another certificate first");
        }
        store.revoke(certificateId, Instant.now());
        publisher.publish(appId);
        audit.success(actor, "certificate.revoked", appId, "certificate " + certificateId);
    }

    public List<AppCertificate> list(String appId) {
        return store.all(appId);
    }

    /**
     * The id of the app's active certificate equal to {@code presented}, compared in constant time,
     * or empty. Every active certificate is compared, so timing reveals nothing about which matched.
     */
    public Optional<String> authenticate(String appId, String presented) {
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        String matched = null;
        for (CertificateStore.Secret secret : store.activeSecrets(appId)) {
            byte[] stored = cipher.decrypt(secret.ciphertext(), associatedData(appId, secret.certificateId()));
            if (MessageDigest.isEqual(stored, candidate)) {
                matched = secret.certificateId();
            }
        }
        return Optional.ofNullable(matched);
    }

    private IssuedCertificate issue(String appId, AppCertificate.Slot slot) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        AppCertificate certificate = new AppCertificate("cert_" + UUID.randomUUID().toString().replace("-", ""), appId,
                slot, Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
        store.insert(certificate, cipher.encrypt(secret.getBytes(StandardCharsets.UTF_8),
                associatedData(appId, certificate.certificateId())));
        return new IssuedCertificate(certificate, secret);
    }

    private void requireApp(String appId) {
        if (!store.lockApp(appId)) {
            throw new ApiException(ErrorCode.APP_NOT_FOUND, "No app " + appId);
        }
    }

    private AppCertificate activeCertificate(String appId, String certificateId) {
        return store.find(appId, certificateId).filter(AppCertificate::isActive)
                .orElseThrow(() -> new ApiException(ErrorCode.CERTIFICATE_NOT_FOUND,
                        "No active certificate " + certificateId + " in app " + appId));
    }

    private static String associatedData(String appId, String certificateId) {
        return "app-certificate:" + appId + ":" + certificateId;
    }
}
