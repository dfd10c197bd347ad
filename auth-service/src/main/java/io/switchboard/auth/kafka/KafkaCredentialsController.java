package io.switchboard.auth.kafka;

import io.switchboard.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/**
 * An app's Kafka credentials, managed by the platform admin ({@code /v1/apps/{appId}/kafka-credentials},
 * HTTP Basic) or by the app itself ({@code /v1/kafka-credentials}, an app token with
 * {@code kafka-credentials:admin}).
 */
@RestController
class KafkaCredentialsController {

    private static final String MECHANISM = "SCRAM-SHA-512";

    private final KafkaCredentials credentials;
    private final KafkaCredentialsProperties settings;

    KafkaCredentialsController(KafkaCredentials credentials, KafkaCredentialsProperties settings) {
        this.credentials = credentials;
        this.settings = settings;
    }

    /** @param partitions partitions of the app's topics if this creates them (its first credential) */
    record IssueRequest(@Min(1) @Max(1000) Integer partitions) {
    }

    record CredentialResponse(String credentialId, String username, String status, Instant createdAt, String createdBy,
                              Instant revokedAt) {
        static CredentialResponse of(KafkaCredential c) {
            return new CredentialResponse(c.credentialId(), c.username(), c.isActive() ? "ACTIVE" : "REVOKED",
                    c.createdAt(), c.createdBy(), c.revokedAt());
        }
    }

    record TopicsResponse(String integrationEvents, String directoryUsers) {
    }

    record QuotaResponse(long producerByteRate, double requestPercentage) {
    }

    /** Everything a producer needs; the password is in this response only. */
    record IssuedResponse(String appId, String credentialId, String username, String password, String mechanism,
                          String securityProtocol, String bootstrapServers, String schemaRegistryUrl,
                          TopicsResponse topics, QuotaResponse quota, Instant createdAt) {
    }

    @PostMapping("/v1/apps/{appId}/kafka-credentials")
    @ResponseStatus(HttpStatus.CREATED)
    IssuedResponse issueAsAdmin(@PathVariable String appId, @Valid @RequestBody(required = false) IssueRequest request,
                                Authentication admin) {
        return issued(credentials.issue("admin:" + admin.getName(), appId, partitions(request)));
    }

    @GetMapping("/v1/apps/{appId}/kafka-credentials")
    List<CredentialResponse> listAsAdmin(@PathVariable String appId) {
        return credentials.list(appId).stream().map(CredentialResponse::of).toList();
    }

    @DeleteMapping("/v1/apps/{appId}/kafka-credentials/{credentialId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeAsAdmin(@PathVariable String appId, @PathVariable String credentialId, Authentication admin) {
        credentials.revoke("admin:" + admin.getName(), appId, credentialId);
    }

    @PostMapping("/v1/kafka-credentials")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAuthority('SCOPE_kafka-credentials:admin')")
    IssuedResponse issueAsApp(@Valid @RequestBody(required = false) IssueRequest request, Authentication token) {
        String appId = app(token);
        return issued(credentials.issue("app:" + appId, appId, partitions(request)));
    }

    @GetMapping("/v1/kafka-credentials")
    @PreAuthorize("hasAuthority('SCOPE_kafka-credentials:admin')")
    List<CredentialResponse> listAsApp(Authentication token) {
        return credentials.list(app(token)).stream().map(CredentialResponse::of).toList();
    }

    @DeleteMapping("/v1/kafka-credentials/{credentialId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAuthority('SCOPE_kafka-credentials:admin')")
    void revokeAsApp(@PathVariable String credentialId, Authentication token) {
        String appId = app(token);
        credentials.revoke("app:" + appId, appId, credentialId);
    }

    private static String app(Authentication token) {
        return Caller.of(token).requireApp("Kafka credentials are managed with an app token");
    }

    private static Integer partitions(IssueRequest request) {
        return request == null ? null : request.partitions();
    }

    private IssuedResponse issued(KafkaCredentials.IssuedCredential issued) {
        KafkaCredential c = issued.credential();
        return new IssuedResponse(c.appId(), c.credentialId(), c.username(), issued.password(), MECHANISM,
                settings.securityProtocol(), settings.bootstrapServers(), settings.schemaRegistryUrl(),
                new TopicsResponse(issued.topics().integrationEvents().name(), issued.topics().directoryUsers().name()),
                new QuotaResponse(issued.quota().producerByteRate(), issued.quota().requestPercentage()), c.createdAt());
    }
}
