package io.switchboard.auth.apps;

import io.switchboard.events.auth.AppState;
import io.switchboard.events.auth.AppStatus;
import io.switchboard.platform.outbox.Outbox;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Scopes;
import io.switchboard.schemas.Topics;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Registers apps and answers what auth-service knows about them. Each change is stored and
 * announced on {@code auth.apps} in one transaction.
 */
@Service
public class Apps {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AppStore store;
    private final Outbox outbox;
    private final PasswordEncoder passwordEncoder;

    Apps(AppStore store, Outbox outbox, PasswordEncoder passwordEncoder) {
        this.store = store;
        this.outbox = outbox;
        this.passwordEncoder = passwordEncoder;
    }

    /** An app with its App Certificate, which is returned only here, once. */
    record CreatedApp(App app, String certificate) {
    }

    /**
     * Registers an app with a new App ID and App Certificate.
     *
     * @param scopes scopes the app may request; {@code null} or empty for {@link Scopes#APP_DEFAULT}
     */
    @Transactional
    CreatedApp create(String name, List<String> scopes) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        App app = new App(UUID.randomUUID().toString().replace("-", ""), name, App.AppStatus.ACTIVE,
                scopes == null || scopes.isEmpty() ? Scopes.APP_DEFAULT : List.copyOf(scopes), 1, now, now);
        String certificate = newCertificate();
        store.insert(app, passwordEncoder.encode(certificate));
        outbox.append(Topics.AUTH_APPS, app.appId(), toEvent(app));
        return new CreatedApp(app, certificate);
    }

    App get(String appId) {
        return store.find(appId).orElseThrow(() -> new ApiException(ErrorCode.APP_NOT_FOUND, "No app " + appId));
    }

    List<App> list(int limit, String after) {
        return store.list(limit, after);
    }

    /** What the token endpoint needs to authenticate an app: its state and certificate hash. */
    public Optional<Credentials> credentials(String appId) {
        return store.find(appId).flatMap(app -> store.certificateHash(appId)
                .map(hash -> new Credentials(app.appId(), app.isActive(), app.scopes(), hash)));
    }

    /** Whether {@code appId} exists and may use tokens. */
    public boolean isActive(String appId) {
        return store.find(appId).map(App::isActive).orElse(false);
    }

    /** An app's credentials as the OAuth 2.0 token endpoint sees them. */
    public record Credentials(String appId, boolean active, List<String> scopes, String certificateHash) {
    }

    private static String newCertificate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static AppState toEvent(App app) {
        return AppState.newBuilder()
                .setAppId(app.appId())
                .setName(app.name())
                .setStatus(AppStatus.valueOf(app.status().name()))
                .setScopes(app.scopes())
                .setVersion(app.version())
                .setUpdatedAt(app.updatedAt())
                .build();
    }
}
