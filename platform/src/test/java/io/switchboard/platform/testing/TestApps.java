package io.switchboard.platform.testing;

import io.switchboard.events.auth.AppState;
import io.switchboard.events.auth.AppStatus;
import io.switchboard.schemas.Topics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Publishes app state on {@code auth.apps} as auth-service would, so a service under test accepts
 * the tokens of {@link TestTokenIssuer} (whose certificate id the state lists as active).
 */
public final class TestApps {

    private TestApps() {
    }

    public static void active(String appId) {
        publish(appId, AppStatus.ACTIVE, List.of(TestTokenIssuer.CERTIFICATE_ID), null, null);
    }

    public static void activeWithRateLimit(String appId, int requestsPerSecond) {
        publish(appId, AppStatus.ACTIVE, List.of(TestTokenIssuer.CERTIFICATE_ID), null, requestsPerSecond);
    }

    /** An active app whose users may be connected with at most {@code devices} devices at once. */
    public static void activeWithDeviceLimit(String appId, int devices) {
        TestProducers.sendAvro(Topics.AUTH_APPS.name(), appId, state(appId, AppStatus.ACTIVE,
                List.of(TestTokenIssuer.CERTIFICATE_ID), null, null).setMaxDevicesPerUser(devices).build());
    }

    public static void suspended(String appId) {
        publish(appId, AppStatus.SUSPENDED, List.of(TestTokenIssuer.CERTIFICATE_ID),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
    }

    /** The app was deleted: a tombstone, as auth-service publishes it. */
    public static void deleted(String appId) {
        TestProducers.sendAvro(Topics.AUTH_APPS.name(), appId, null);
    }

    public static void certificateRevoked(String appId) {
        publish(appId, AppStatus.ACTIVE, List.of("cert-rotated-in"), null, null);
    }

    private static void publish(String appId, AppStatus status, List<String> certificates, Instant notBefore,
                                Integer requestsPerSecond) {
        TestProducers.sendAvro(Topics.AUTH_APPS.name(), appId,
                state(appId, status, certificates, notBefore, requestsPerSecond).build());
    }

    private static AppState.Builder state(String appId, AppStatus status, List<String> certificates, Instant notBefore,
                                          Integer requestsPerSecond) {
        return AppState.newBuilder()
                .setAppId(appId)
                .setName("Test app " + appId)
                .setStatus(status)
                .setScopes(List.of())
                .setActiveCertificateIds(certificates)
                .setTokensNotBefore(notBefore)
                .setRequestsPerSecond(requestsPerSecond)
                .setVersion(System.nanoTime())
                .setUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
