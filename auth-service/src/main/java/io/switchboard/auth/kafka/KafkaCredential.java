package io.switchboard.auth.kafka;

import java.time.Instant;

/**
 * One SASL/SCRAM user of an app's upstream producers. Its password is shown once, when it is
 * issued, and kept only by Kafka (as a salted SCRAM hash); an app rotates by issuing a second
 * credential, moving its producers over, then revoking the first.
 *
 * @param username  the SCRAM user, {@code app-<appId>-<credentialId>}, which is also the principal
 *                  ({@code User:<username>}) its ACLs and quotas name
 * @param createdBy who issued it: {@code admin:<name>} or {@code app:<appId>}
 */
public record KafkaCredential(String credentialId, String appId, String username, Instant createdAt, String createdBy,
                              Instant revokedAt) {

    static String username(String appId, String credentialId) {
        return "app-" + appId + "-" + credentialId;
    }

    public boolean isActive() {
        return revokedAt == null;
    }
}
