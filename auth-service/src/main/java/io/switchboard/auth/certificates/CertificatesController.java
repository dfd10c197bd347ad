package io.switchboard.auth.certificates;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Certificate rotation, by the platform admin (HTTP Basic). */
@RestController
@RequestMapping("/v1/apps/{appId}/certificates")
class CertificatesController {

    private final Certificates certificates;

    CertificatesController(Certificates certificates) {
        this.certificates = certificates;
    }

    record CertificateResponse(String certificateId, String slot, String status, Instant createdAt, Instant revokedAt) {
        static CertificateResponse of(AppCertificate c) {
            return new CertificateResponse(c.certificateId(), c.slot() == null ? null : c.slot().name(),
                    c.isActive() ? "ACTIVE" : "REVOKED", c.createdAt(), c.revokedAt());
        }
    }

    /** The new certificate's secret is in this response only. */
    record IssuedCertificateResponse(String certificateId, String appCertificate, String slot, Instant createdAt) {
    }

    @GetMapping
    List<CertificateResponse> listCertificates(@PathVariable String appId) {
        return certificates.list(appId).stream().map(CertificateResponse::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    IssuedCertificateResponse issueCertificate(@PathVariable String appId, Authentication admin) {
        Certificates.IssuedCertificate issued = certificates.issueNext(actor(admin), appId);
        AppCertificate c = issued.certificate();
        return new IssuedCertificateResponse(c.certificateId(), issued.secret(), c.slot().name(), c.createdAt());
    }

    @PostMapping("/{certificateId}/promote")
    List<CertificateResponse> promoteCertificate(@PathVariable String appId, @PathVariable String certificateId,
                                                 Authentication admin) {
        return certificates.promote(actor(admin), appId, certificateId).stream().map(CertificateResponse::of).toList();
    }

    @DeleteMapping("/{certificateId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeCertificate(@PathVariable String appId, @PathVariable String certificateId, Authentication admin) {
        certificates.revoke(actor(admin), appId, certificateId);
    }

    static String actor(Authentication admin) {
        return "admin:" + admin.getName();
    }
}
