package io.switchboard.auth.apps;

import io.switchboard.auth.audit.AuditLog;
import io.switchboard.auth.kafka.KafkaCredentials;
import io.switchboard.auth.certificates.Certificates;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Scopes;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * The lifecycle of apps: create, change, suspend, resume, delete. Each change is stored, audited
 * and announced on {@code auth.apps} in one transaction.
 */
@Service
public class Apps {

    private final AppStore store;
    private final Certificates certificates;
    private final AppStatePublisher publisher;
    private final AuditLog audit;
    private final KafkaCredentials kafkaCredentials;

    Apps(AppStore store, Certificates certificates, AppStatePublisher publisher, AuditLog audit,
         KafkaCredentials kafkaCredentials) {
        this.kafkaCredentials = kafkaCredentials;
        this.store = store;
        this.certificates = certificates;
        this.publisher = publisher;
        this.audit = audit;
    }

    /** An app with its first App Certificate, whose secret is returned only here. */
    record CreatedApp(App app, Certificates.IssuedCertificate certificate) {
    }

    /**
     * What an admin may change on an app; null fields stay as they are. A {@code maxDevicesPerUser}
     * of 0 removes the app's device limit.
     */
    record Changes(String name, List<String> scopes, Integer requestsPerSecond, Duration maxUserTokenTtl,
                   Integer maxDevicesPerUser) {
    }

    /**
     * Registers an app with a new App ID and a PRIMARY App Certificate.
     *
     * @param scopes scopes the app may request; {@code null} or empty for {@link Scopes#APP_DEFAULT}
     */
    @Transactional
    CreatedApp create(String actor, String name, List<String> scopes) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        App app = new App(UUID.randomUUID().toString().replace("-", ""), name, App.AppStatus.ACTIVE,
                scopes == null || scopes.isEmpty() ? Scopes.APP_DEFAULT : known(scopes), 0, null, null, null,
                null, now, now);
        store.insert(app);
        Certificates.IssuedCertificate certificate = certificates.issueFirst(app.appId());
        publisher.publish(app.appId());
        audit.success(actor, "app.created", app.appId(), "name=" + name + ", certificate "
                + certificate.certificate().certificateId());
        return new CreatedApp(get(app.appId()), certificate);
    }

    /** The scopes of a grant, each one Switchboard knows ({@link Scopes#ALL}). */
    private static List<String> known(List<String> scopes) {
        List<String> unknown = scopes.stream().filter(scope -> !Scopes.ALL.contains(scope)).toList();
        if (!unknown.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Unknown scopes " + unknown + "; scopes are " + Scopes.ALL);
        }
        return List.copyOf(new LinkedHashSet<>(scopes));
    }

    @Transactional
    App change(String actor, String appId, Changes changes) {
        App app = lock(appId);
        App changed = new App(app.appId(), changes.name() == null ? app.name() : changes.name(), app.status(),
                changes.scopes() == null ? app.scopes() : known(changes.scopes()), app.version(),
                app.tokensNotBefore(),
                changes.requestsPerSecond() == null ? app.requestsPerSecond() : changes.requestsPerSecond(),
                changes.maxUserTokenTtl() == null ? app.maxUserTokenTtl() : changes.maxUserTokenTtl(),
                changes.maxDevicesPerUser() == null ? app.maxDevicesPerUser()
                        : changes.maxDevicesPerUser() == 0 ? null : changes.maxDevicesPerUser(),
                app.createdAt(), app.updatedAt());
        store.update(changed);
        publisher.publish(appId);
        audit.success(actor, "app.changed", appId, changes.toString());
        return get(appId);
    }

    /**
     * Suspends the app: no token is issued for it, every token issued so far is refused by every
     * service once it reads the change (also after a later {@link #resume}), and the brokers refuse
     * its Kafka credentials every topic (asked first: a suspension fails while Kafka cannot take it).
     */
    @Transactional
    App suspend(String actor, String appId) {
        App app = lock(appId);
        kafkaCredentials.suspendAll(appId);
        // tokens carry whole seconds (iat): the cut-off is the next full second, and no token is
        // issued before it even if the app is resumed sooner (see App#acceptsNewTokens)
        Instant cutOff = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        store.update(withStatus(app, App.AppStatus.SUSPENDED, cutOff));
        publisher.publish(appId);
        audit.success(actor, "app.suspended", appId, null);
        return get(appId);
    }

    /**
     * Lets a suspended app obtain tokens again (tokens from before the suspension stay refused) and
     * its Kafka credentials write its topics again.
     */
    @Transactional
    App resume(String actor, String appId) {
        App app = lock(appId);
        kafkaCredentials.resumeAll(appId);
        store.update(withStatus(app, App.AppStatus.ACTIVE, app.tokensNotBefore()));
        publisher.publish(appId);
        audit.success(actor, "app.resumed", appId, null);
        return get(appId);
    }

    /**
     * Deletes the app, its certificates and its Kafka credentials (removed from Kafka first: a
     * deletion fails while Kafka cannot take that); its tokens are refused everywhere after the
     * tombstone is read.
     */
    @Transactional
    void delete(String actor, String appId) {
        lock(appId);
        kafkaCredentials.revokeAll(actor, appId);
        store.delete(appId);
        publisher.publishDeleted(appId);
        audit.success(actor, "app.deleted", appId, null);
    }

    public App get(String appId) {
        return store.find(appId).orElseThrow(() -> new ApiException(ErrorCode.APP_NOT_FOUND, "No app " + appId));
    }

    List<App> list(int limit, String after) {
        return store.list(limit, after);
    }

    private App lock(String appId) {
        return store.findForUpdate(appId).orElseThrow(() -> new ApiException(ErrorCode.APP_NOT_FOUND, "No app " + appId));
    }

    private static App withStatus(App app, App.AppStatus status, Instant tokensNotBefore) {
        return new App(app.appId(), app.name(), status, app.scopes(), app.version(), tokensNotBefore,
                app.requestsPerSecond(), app.maxUserTokenTtl(), app.maxDevicesPerUser(), app.createdAt(), app.updatedAt());
    }
}
