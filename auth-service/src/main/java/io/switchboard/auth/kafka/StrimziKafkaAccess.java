package io.switchboard.auth.kafka;

import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserStatus;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleBuilder;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import io.switchboard.schemas.TopicSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Credentials as Strimzi {@code KafkaUser} resources, for Kafka run by Strimzi on Kubernetes. There
 * the User Operator owns users, ACLs and quotas: it makes them from KafkaUser resources and deletes
 * the ACLs of any user that has none, so ACLs made with the Admin API ({@link AdminApiKafkaAccess},
 * for the local stack, compose and any Kafka not run by Strimzi) would vanish at its next
 * reconciliation. Quotas are per user in both ways.
 *
 * <p>A grant writes a Secret with the password, then the KafkaUser that reads it
 * ({@code spec.authentication.password.valueFrom.secretKeyRef}) with literal {@code Write} and
 * {@code Describe} ACLs on the app's topics and its quotas. The Secret is {@code <username>-password},
 * not {@code <username>}: the User Operator writes its own Secret of the user's name (password and
 * {@code sasl.jaas.config}) and owns it. Both are created, or replaced when they exist, so a retried
 * grant ends in the same resources. Kubernetes takes them at once, but the user exists in Kafka only
 * once the User Operator has reconciled it (normally within seconds): a grant waits until the
 * KafkaUser's status says {@code Ready} for its latest spec, so the credential it answers works at
 * once, and fails with {@link KafkaUnavailableException} when the operator reports an error or takes
 * longer than {@link KafkaCredentialsProperties#strimziReadyTimeout()}. A suspension adds a DENY of
 * every topic to the KafkaUser's ACLs and waits the same way; resuming removes it. A revoked
 * KafkaUser is deleted without a finalizer, so the operator's removal of the user cannot be awaited:
 * it keeps working until the next reconciliation, normally seconds.
 *
 * <p>auth-service's service account needs {@code create}, {@code get}, {@code list}, {@code watch},
 * {@code update}, {@code patch} and {@code delete} on {@code kafkausers.kafka.strimzi.io}, and
 * {@code create}, {@code get}, {@code update} and {@code delete} on {@code secrets}, in the namespace.
 */
class StrimziKafkaAccess implements KafkaAccess {

    private static final Logger log = LoggerFactory.getLogger(StrimziKafkaAccess.class);

    private static final String CLUSTER_LABEL = "strimzi.io/cluster";
    private static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    private static final String MANAGED_BY = "switchboard-auth-service";
    private static final String PASSWORD_KEY = "password";

    /** What a suspended app's users carry: every operation on every topic denied ({@code *} is Kafka's wildcard). */
    static final AclRule SUSPENSION = new AclRuleBuilder()
            .withNewAclRuleTopicResource().withName("*").withPatternType(AclResourcePatternType.LITERAL)
            .endAclRuleTopicResource()
            .withOperations(AclOperation.ALL)
            .withType(AclRuleType.DENY)
            .build();

    private final KubernetesClient client;
    private final String namespace;
    private final String cluster;
    private final Duration readyTimeout;

    /**
     * @throws IllegalStateException when neither the settings nor the client (the pod's service
     *                               account, else the kubeconfig's context) name a namespace
     */
    StrimziKafkaAccess(KubernetesClient client, KafkaCredentialsProperties settings) {
        this.client = client;
        String configured = settings.kubernetesNamespace();
        this.namespace = configured == null || configured.isBlank() ? client.getNamespace() : configured;
        this.cluster = settings.strimziCluster();
        this.readyTimeout = settings.strimziReadyTimeout();
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalStateException("switchboard.kafka-credentials.kubernetes-namespace is required when neither "
                    + "the pod's service account nor the kubeconfig names a namespace");
        }
    }

    @Override
    public void grant(Grant grant) {
        // the Secret first: the User Operator reads the password from it when it reconciles the KafkaUser
        call("write the password Secret of " + grant.username(),
                () -> client.resource(passwordSecret(grant, namespace, cluster)).createOr(NonDeletingOperation::update));
        call("write the KafkaUser " + grant.username(),
                () -> client.resource(kafkaUser(grant, namespace, cluster)).createOr(NonDeletingOperation::update));
        awaitReconciled(grant.username());
    }

    @Override
    public void revoke(String username) {
        // the KafkaUser first: it is what the User Operator grants access by; one already gone is fine
        call("delete the KafkaUser " + username,
                () -> kafkaUsers().withName(username).delete());
        call("delete the password Secret of " + username,
                () -> client.secrets().inNamespace(namespace).withName(passwordSecretName(username)).delete());
    }

    @Override
    public void suspend(String username) {
        call("deny every topic to the KafkaUser " + username,
                () -> kafkaUsers().withName(username).edit(user -> withSuspension(user, true)));
        awaitReconciled(username);
    }

    @Override
    public void resume(String username) {
        call("lift the denial of every topic to the KafkaUser " + username,
                () -> kafkaUsers().withName(username).edit(user -> withSuspension(user, false)));
        awaitReconciled(username);
    }

    /**
     * Waits until the User Operator has made the user's latest spec real in Kafka.
     *
     * @throws KafkaUnavailableException when it reports that it could not, or does not report in time
     */
    private void awaitReconciled(String username) {
        KafkaUser user;
        try {
            user = kafkaUsers().withName(username).waitUntilCondition(
                    candidate -> candidate == null || readiness(candidate) != null, readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            log.warn("The User Operator did not reconcile the KafkaUser {} within {}", username, readyTimeout);
            throw new KafkaUnavailableException("The User Operator did not reconcile the KafkaUser " + username + " within "
                    + readyTimeout.toMillis() + " ms; is it running and watching namespace " + namespace + "?");
        } catch (KubernetesClientException e) {
            throw new KafkaUnavailableException("Kubernetes refused to read the KafkaUser " + username + " (" + failure(e) + ")");
        }
        if (user == null) {
            throw new KafkaUnavailableException("The KafkaUser " + username + " was deleted while it was being made");
        }
        Condition condition = readiness(user);
        if (!"Ready".equals(condition.getType())) {
            log.warn("The User Operator could not reconcile the KafkaUser {}: {} {}", username, condition.getReason(),
                    condition.getMessage());
            throw new KafkaUnavailableException("The User Operator could not reconcile the KafkaUser " + username + " ("
                    + condition.getReason() + ")");
        }
    }

    /**
     * The User Operator's verdict on the user's latest spec: its {@code Ready} or {@code NotReady}
     * condition once the status has caught up with the spec's generation, else null.
     */
    static Condition readiness(KafkaUser user) {
        KafkaUserStatus status = user.getStatus();
        if (status == null || status.getConditions() == null) {
            return null;
        }
        Long generation = user.getMetadata().getGeneration();
        if (generation != null && status.getObservedGeneration() < generation) {
            return null;
        }
        return status.getConditions().stream()
                .filter(condition -> "True".equals(condition.getStatus()))
                .filter(condition -> "Ready".equals(condition.getType()) || "NotReady".equals(condition.getType()))
                .findFirst().orElse(null);
    }

    /** The user with or without the DENY of every topic that suspends it; its other ACLs as they are. */
    static KafkaUser withSuspension(KafkaUser user, boolean suspended) {
        KafkaUserAuthorizationSimple authorization = (KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
        List<AclRule> acls = new ArrayList<>(authorization.getAcls().stream().filter(acl -> !acl.equals(SUSPENSION)).toList());
        if (suspended) {
            acls.add(SUSPENSION);
        }
        return new KafkaUserBuilder(user).editSpec()
                .withNewKafkaUserAuthorizationSimple().withAcls(acls).endKafkaUserAuthorizationSimple()
                .endSpec().build();
    }

    private NonNamespaceOperation<KafkaUser, KubernetesResourceList<KafkaUser>, Resource<KafkaUser>> kafkaUsers() {
        return client.resources(KafkaUser.class).inNamespace(namespace);
    }

    /** The KafkaUser of a grant; it names the password Secret and holds no password. */
    static KafkaUser kafkaUser(Grant grant, String namespace, String cluster) {
        List<AclRule> acls = grant.topics().written().stream().map(TopicSpec::name)
                .map(topic -> new AclRuleBuilder()
                        .withNewAclRuleTopicResource().withName(topic).withPatternType(AclResourcePatternType.LITERAL)
                        .endAclRuleTopicResource()
                        .withOperations(AclOperation.WRITE, AclOperation.DESCRIBE)
                        .build())
                .toList();
        return new KafkaUserBuilder()
                .withNewMetadata()
                    .withName(grant.username())
                    .withNamespace(namespace)
                    .withLabels(Map.of(CLUSTER_LABEL, cluster, MANAGED_BY_LABEL, MANAGED_BY))
                .endMetadata()
                .withNewSpec()
                    .withNewKafkaUserScramSha512ClientAuthentication()
                        .withNewPassword().withNewValueFrom()
                            .withNewSecretKeyRef(PASSWORD_KEY, passwordSecretName(grant.username()), false)
                        .endValueFrom().endPassword()
                    .endKafkaUserScramSha512ClientAuthentication()
                    .withNewKafkaUserAuthorizationSimple().withAcls(acls).endKafkaUserAuthorizationSimple()
                    // Strimzi's quotas are whole numbers; KafkaCredentialsProperties checks that they fit
                    .withNewQuotas()
                        .withProducerByteRate(Math.toIntExact(grant.quota().producerByteRate()))
                        .withRequestPercentage((int) grant.quota().requestPercentage())
                    .endQuotas()
                .endSpec()
                .build();
    }

    /** The Secret with a grant's password, the only resource that holds it. */
    static Secret passwordSecret(Grant grant, String namespace, String cluster) {
        return new SecretBuilder()
                .withNewMetadata()
                    .withName(passwordSecretName(grant.username()))
                    .withNamespace(namespace)
                    .withLabels(Map.of(CLUSTER_LABEL, cluster, MANAGED_BY_LABEL, MANAGED_BY))
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(PASSWORD_KEY,
                        Base64.getEncoder().encodeToString(grant.password().getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    private static String passwordSecretName(String username) {
        return username + "-password";
    }

    /** Runs one Kubernetes call; a failure becomes {@link KafkaUnavailableException}. */
    private static void call(String what, Supplier<?> request) {
        try {
            request.get();
        } catch (KubernetesClientException e) {
            log.warn("Kubernetes refused to {}: {}", what, failure(e));
            throw new KafkaUnavailableException("Kubernetes refused to " + what + " (" + failure(e) + ")");
        }
    }

    /** The status code and reason only: the API server's message may quote the object it refused, a Secret too. */
    private static String failure(KubernetesClientException e) {
        if (e.getCode() <= 0) {
            return e.getCause() == null ? "no answer" : e.getCause().getClass().getSimpleName();
        }
        String reason = e.getStatus() == null ? null : e.getStatus().getReason();
        return "HTTP " + e.getCode() + (reason == null ? "" : " " + reason);
    }
}
