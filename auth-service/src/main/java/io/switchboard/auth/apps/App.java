package io.switchboard.auth.apps;

import java.time.Instant;
import java.util.List;

/**
 * A third-party app (tenant) as auth-service stores it. The certificate is kept only as a hash
 * and never leaves {@link AppStore}.
 */
record App(String appId, String name, AppStatus status, List<String> scopes, long version,
           Instant createdAt, Instant updatedAt) {

    enum AppStatus { ACTIVE, SUSPENDED }

    boolean isActive() {
        return status == AppStatus.ACTIVE;
    }
}
