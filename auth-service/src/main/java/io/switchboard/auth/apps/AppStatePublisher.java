package io.switchboard.auth.apps;

import io.switchboard.auth.certificates.CertificateIds;
import io.switchboard.events.auth.AppState;
import io.switchboard.events.auth.AppStatus;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.schemas.Topics;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Announces an app's state on {@code auth.apps} (through the outbox, in the transaction of the
 * change): status, scopes, active certificate ids, tokens-not-before and rate limit. Never a secret.
 */
@Component
public class AppStatePublisher {

    private final AppStore apps;
    private final CertificateIds certificates;
    private final Outbox outbox;

    AppStatePublisher(AppStore apps, CertificateIds certificates, Outbox outbox) {
        this.apps = apps;
        this.certificates = certificates;
        this.outbox = outbox;
    }

    /**
     * Records that the app changed (next version) and publishes its state as stored in this
     * transaction. Every change of an app or its certificates ends here.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void publish(String appId) {
        apps.bumpVersion(appId, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        App app = apps.find(appId).orElseThrow();
        outbox.append(Topics.AUTH_APPS, app.appId(), AppState.newBuilder()
                .setAppId(app.appId())
                .setName(app.name())
                .setStatus(AppStatus.valueOf(app.status().name()))
                .setScopes(app.scopes())
                .setActiveCertificateIds(certificates.active(appId))
                .setTokensNotBefore(app.tokensNotBefore())
                .setRequestsPerSecond(app.requestsPerSecond())
                .setMaxDevicesPerUser(app.maxDevicesPerUser())
                .setVersion(app.version())
                .setUpdatedAt(app.updatedAt())
                .build());
    }

    /** Publishes that the app is gone (a tombstone): every service forgets it and refuses its tokens. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void publishDeleted(String appId) {
        outbox.appendTombstone(Topics.AUTH_APPS, appId);
    }
}
