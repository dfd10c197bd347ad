package io.switchboard.auth.certificates;

import java.time.Instant;

/**
 * An App Certificate's public facts (never its secret).
 *
 * @param slot      PRIMARY or SECONDARY while active; null once revoked
 * @param revokedAt when it was revoked, or null
 */
public record AppCertificate(String certificateId, String appId, Slot slot, Instant createdAt, Instant revokedAt) {

    /** Rotation slots: an app has at most one of each. */
    public enum Slot { PRIMARY, SECONDARY }

    public boolean isActive() {
        return revokedAt == null;
    }
}
