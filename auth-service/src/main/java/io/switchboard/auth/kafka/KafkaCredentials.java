package io.switchboard.auth.kafka;

import io.switchboard.auth.audit.AuditLog;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Apps' Kafka credentials: issued by the platform admin or by the app itself (an app token with
 * {@code kafka-credentials:admin}), listed without secrets, revoked. Issuing creates the app's
 * topics if they are missing, registers their schemas ({@link AppSchemas}), then the SCRAM user with its ACLs and quota ({@link KafkaAccess}),
 * then the row; revoking removes the user from Kafka first. Changes of one app are serialized on
 * its row, and Kafka is asked while the row is locked, so two requests cannot both pass the limit.
 */
@Service
public class KafkaCredentials {

    private static final Logger log = LoggerFactory.getLogger(KafkaCredentials.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KafkaCredentialStore store;
    private final KafkaAccess access;
    private final AppTopicsCreator topics;
    private final AppSchemas schemas;
    private final KafkaCredentialsProperties settings;
    private final AuditLog audit;

    KafkaCredentials(KafkaCredentialStore store, KafkaAccess access, AppTopicsCreator topics, AppSchemas schemas,
                     KafkaCredentialsProperties settings, AuditLog audit) {
        this.store = store;
        this.access = access;
        this.topics = topics;
        this.schemas = schemas;
        this.settings = settings;
        this.audit = audit;
    }

    /** A new credential with its password, as returned once. */
    public record IssuedCredential(KafkaCredential credential, String password, Topics.AppTopics topics,
                                   KafkaAccess.Quota quota) {
    }

    /**
     * Issues a credential for the app's upstream producers.
     *
     * @param partitions partitions of the app's topics if they do not exist yet; null for the default
     * @throws ApiException {@code app-suspended} for a suspended app, {@code kafka-credentials-limit-reached}
     *                      when it has {@code max-per-app} active ones, {@code kafka-unavailable},
     *                      {@code schema-registry-unavailable}
     */
    @Transactional
    public IssuedCredential issue(String actor, String appId, Integer partitions) {
        if (!lockApp(appId).equals("ACTIVE")) {
            throw new ApiException(ErrorCode.APP_SUSPENDED, "A suspended app gets no new Kafka credentials");
        }
        long active = store.all(appId).stream().filter(KafkaCredential::isActive).count();
        if (active >= settings.maxPerApp()) {
            throw new ApiException(ErrorCode.KAFKA_CREDENTIALS_LIMIT_REACHED, "The app has " + active
                    + " active Kafka credentials, the most it may have; revoke one first");
        }
        if (partitions != null && (partitions < 1 || partitions > settings.maxPartitions())) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "partitions must be between 1 and "
                    + settings.maxPartitions());
        }
        Topics.AppTopics appTopics = Topics.ofApp(appId, partitions == null ? settings.partitions() : partitions);
        String credentialId = HexFormat.of().formatHex(randomBytes(6));
        KafkaCredential credential = new KafkaCredential(credentialId, appId, KafkaCredential.username(appId, credentialId),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), actor, null);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        KafkaAccess.Quota quota = new KafkaAccess.Quota(settings.producerByteRate(), settings.requestPercentage());

        topics.createMissing(appTopics);
        schemas.registerMissing(appTopics);
        store.insert(credential);
        try {
            access.grant(new KafkaAccess.Grant(credential.username(), password, appTopics, quota));
        } catch (RuntimeException e) {
            withdraw(credential.username());
            throw e;
        }
        audit.success(actor, "kafka-credential.issued", appId, "credential " + credentialId + " (user "
                + credential.username() + ")");
        return new IssuedCredential(credential, password, appTopics, quota);
    }

    public List<KafkaCredential> list(String appId) {
        if (!store.appExists(appId)) {
            throw new ApiException(ErrorCode.APP_NOT_FOUND, "No app " + appId);
        }
        return store.all(appId);
    }

    /** Revokes an active credential: removed from Kafka first, then marked revoked. */
    @Transactional
    public void revoke(String actor, String appId, String credentialId) {
        lockApp(appId);
        KafkaCredential credential = store.find(appId, credentialId).filter(KafkaCredential::isActive)
                .orElseThrow(() -> new ApiException(ErrorCode.KAFKA_CREDENTIAL_NOT_FOUND,
                        "The app has no active Kafka credential " + credentialId));
        access.revoke(credential.username());
        store.revoke(credentialId, Instant.now());
        audit.success(actor, "kafka-credential.revoked", appId, "credential " + credentialId);
    }

    /** Revokes every active credential of an app that is being deleted, inside its deletion (the row is locked). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void revokeAll(String actor, String appId) {
        for (KafkaCredential credential : store.all(appId)) {
            if (credential.isActive()) {
                access.revoke(credential.username());
                store.revoke(credential.credentialId(), Instant.now());
                audit.success(actor, "kafka-credential.revoked", appId, "credential " + credential.credentialId()
                        + " (app deleted)");
            }
        }
    }

    /**
     * Refuses Kafka to every active credential of an app being suspended, inside its suspension (the
     * row is locked): the brokers deny each of them every topic until {@link #resumeAll}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void suspendAll(String appId) {
        activeUsernames(appId).forEach(access::suspend);
    }

    /** Lets the active credentials of an app being resumed write its topics again, inside its resumption. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void resumeAll(String appId) {
        activeUsernames(appId).forEach(access::resume);
    }

    private List<String> activeUsernames(String appId) {
        return store.all(appId).stream().filter(KafkaCredential::isActive).map(KafkaCredential::username).toList();
    }

    /** Locks the app's row and returns its status. */
    private String lockApp(String appId) {
        return store.lockApp(appId).orElseThrow(() -> new ApiException(ErrorCode.APP_NOT_FOUND, "No app " + appId));
    }

    /** Undoes what a failed grant may have made; the grant's own failure is what the caller is told. */
    private void withdraw(String username) {
        try {
            access.revoke(username);
        } catch (RuntimeException e) {
            log.warn("Could not remove the half-made Kafka user {}; revoke leftovers by hand: {}", username, e.toString());
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
