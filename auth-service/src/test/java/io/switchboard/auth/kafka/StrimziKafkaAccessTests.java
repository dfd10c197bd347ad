package io.switchboard.auth.kafka;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * StrimziKafkaAccess against fabric8's mock API server, which keeps what it is sent (CRUD mode). The
 * User Operator is played by {@link #operator}, which reports every KafkaUser's latest spec ready
 * unless a test tells it otherwise.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = StrimziKafkaAccessTests.NoRetries.class)
class StrimziKafkaAccessTests {

    private static final String NAMESPACE = "switchboard";
    private static final String APP_ID = "0123456789abcdef0123456789abcdef";
    private static final String USERNAME = "app-" + APP_ID + "-a1b2c3d4e5f6";
    private static final String PASSWORD = "s3cr3t-Pa55word-that-must-stay-in-the-secret";

    /** The client retries 5xx answers with backoff; the mock's errors are answered once. */
    public static class NoRetries implements Consumer<KubernetesClientBuilder> {
        @Override
        public void accept(KubernetesClientBuilder builder) {
            builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig();
        }
    }

    // instance fields: a new server, with nothing stored, for each test
    KubernetesMockServer server;
    KubernetesClient client;

    private StrimziKafkaAccess access;
    private ScheduledExecutorService operator;
    /** What the played User Operator reports: Ready, NotReady with a reason, or nothing at all. */
    private volatile Condition verdict = ready();

    @BeforeEach
    void setUp() {
        access = new StrimziKafkaAccess(client, settings(NAMESPACE, Duration.ofSeconds(10)));
        operator = Executors.newSingleThreadScheduledExecutor();
        operator.scheduleWithFixedDelay(this::reconcile, 0, 20, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stopOperator() {
        operator.shutdownNow();
    }

    private static KafkaCredentialsProperties settings(String namespace, Duration readyTimeout) {
        return new KafkaCredentialsProperties(KafkaCredentialsProperties.Provisioner.STRIMZI, "kafka:9094", "SASL_SSL",
                "http://registry:8080/apis/ccompat/v7", 3, 48, 2, 1_048_576, 25, namespace, "switchboard", readyTimeout);
    }

    /** One pass of the played User Operator: a status for every KafkaUser whose latest spec has none. */
    private void reconcile() {
        Condition reported = verdict;
        if (reported == null) {
            return;
        }
        for (KafkaUser user : client.resources(KafkaUser.class).inAnyNamespace().list().getItems()) {
            if (StrimziKafkaAccess.readiness(user) != null) {
                continue;
            }
            Long generation = user.getMetadata().getGeneration();
            KafkaUser reconciled = new KafkaUserBuilder(user).withNewStatus()
                    .withObservedGeneration(generation == null ? 0 : generation)
                    .withConditions(reported)
                    .endStatus().build();
            try {
                client.resource(reconciled).updateStatus();
            } catch (KubernetesClientException e) {
                // changed since it was listed: the next pass sees the new version
            }
        }
    }

    private static Condition ready() {
        return new ConditionBuilder().withType("Ready").withStatus("True").build();
    }

    private static KafkaAccess.Grant grant(long producerByteRate) {
        return new KafkaAccess.Grant(USERNAME, PASSWORD, Topics.ofApp(APP_ID, 3),
                new KafkaAccess.Quota(producerByteRate, 25));
    }

    private KafkaUser kafkaUser() {
        return client.resources(KafkaUser.class).inNamespace(NAMESPACE).withName(USERNAME).get();
    }

    private Secret passwordSecret() {
        return client.secrets().inNamespace(NAMESPACE).withName(USERNAME + "-password").get();
    }

    @Test
    void grantWritesThePasswordSecretAndTheKafkaUserThatReadsIt() {
        access.grant(grant(1_048_576));

        Secret secret = passwordSecret();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8))
                .isEqualTo(PASSWORD);
        assertThat(secret.getMetadata().getLabels())
                .containsEntry("strimzi.io/cluster", "switchboard")
                .containsEntry("app.kubernetes.io/managed-by", "switchboard-auth-service");

        KafkaUser user = kafkaUser();
        assertThat(user.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "switchboard");
        KafkaUserScramSha512ClientAuthentication authentication =
                (KafkaUserScramSha512ClientAuthentication) user.getSpec().getAuthentication();
        assertThat(authentication.getPassword().getValueFrom().getSecretKeyRef().getName()).isEqualTo(USERNAME + "-password");
        assertThat(authentication.getPassword().getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        KafkaUserAuthorizationSimple authorization = (KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
        assertThat(authorization.getAcls()).extracting(acl -> ((AclRuleTopicResource) acl.getResource()).getName())
                .containsExactly("integration.events." + APP_ID, "directory.users." + APP_ID);
        assertThat(user.getSpec().getQuotas().getProducerByteRate()).isEqualTo(1_048_576);
        assertThat(user.getSpec().getQuotas().getRequestPercentage()).isEqualTo(25);
    }

    @Test
    void aRetriedGrantEndsInTheSameResources() {
        access.grant(grant(1_048_576));
        KafkaUser first = kafkaUser();

        access.grant(grant(1_048_576));

        assertThat(client.resources(KafkaUser.class).inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        assertThat(kafkaUser().getSpec()).isEqualTo(first.getSpec());
        assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    }

    @Test
    void aRetriedGrantReplacesWhatDiffers() {
        access.grant(grant(1_048_576));

        access.grant(grant(2_097_152));

        assertThat(kafkaUser().getSpec().getQuotas().getProducerByteRate()).isEqualTo(2_097_152);
    }

    @Test
    void revokeDeletesTheKafkaUserAndTheSecret() {
        access.grant(grant(1_048_576));

        access.revoke(USERNAME);

        assertThat(kafkaUser()).isNull();
        assertThat(passwordSecret()).isNull();
    }

    @Test
    void revokingAUserThatIsNotThereSucceeds() {
        access.revoke("app-" + APP_ID + "-000000000000");

        assertThat(client.resources(KafkaUser.class).inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void aServerErrorIsKafkaUnavailableNamingWhatFailedAndNotThePassword() {
        server.expect().post().withPath("/apis/kafka.strimzi.io/v1/namespaces/" + NAMESPACE + "/kafkausers")
                .andReturn(500, new StatusBuilder().withCode(500).withReason("InternalError")
                        .withMessage("etcd is on fire").build())
                .once();

        assertThatThrownBy(() -> access.grant(grant(1_048_576)))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessageContaining("KafkaUser " + USERNAME)
                .hasMessageContaining("500")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void aRefusedSecretIsKafkaUnavailableAndNoKafkaUserIsWritten() {
        server.expect().post().withPath("/api/v1/namespaces/" + NAMESPACE + "/secrets")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("secrets is forbidden: User cannot create resource").build())
                .once();

        assertThatThrownBy(() -> access.grant(grant(1_048_576)))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessageContaining("password Secret of " + USERNAME)
                .hasMessageContaining("403 Forbidden")
                .hasMessageNotContaining(PASSWORD);
        assertThat(kafkaUser()).isNull();
    }

    @Test
    void aGrantAnswersOnlyOnceTheUserOperatorReportsTheUserReady() {
        verdict = null;
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<?> granted = caller.submit(() -> access.grant(grant(1_048_576)));
            await().atMost(Duration.ofSeconds(5)).until(() -> kafkaUser() != null);
            assertThat(granted).as("not before the operator's verdict").isNotDone();

            verdict = ready();

            await().atMost(Duration.ofSeconds(5)).until(granted::isDone);
            assertThat(granted).succeedsWithin(Duration.ZERO);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aGrantTheUserOperatorDoesNotReconcileInTimeIsKafkaUnavailable() {
        verdict = null;
        StrimziKafkaAccess impatient = new StrimziKafkaAccess(client, settings(NAMESPACE, Duration.ofMillis(500)));

        assertThatThrownBy(() -> impatient.grant(grant(1_048_576)))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessageContaining("did not reconcile the KafkaUser " + USERNAME + " within 500 ms")
                .hasMessageContaining("namespace " + NAMESPACE);
    }

    @Test
    void aUserTheOperatorCannotMakeIsKafkaUnavailableWithItsReason() {
        verdict = new ConditionBuilder().withType("NotReady").withStatus("True").withReason("InvalidResourceException")
                .withMessage("Simple authorization ACL rules are configured but not supported in the Kafka cluster").build();

        assertThatThrownBy(() -> access.grant(grant(1_048_576)))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessageContaining("could not reconcile the KafkaUser " + USERNAME + " (InvalidResourceException)");
    }

    @Test
    void suspendingDeniesEveryTopicOverTheGrantsAclsAndResumingLiftsIt() {
        access.grant(grant(1_048_576));
        List<AclRule> granted = acls();

        access.suspend(USERNAME);
        access.suspend(USERNAME);

        assertThat(acls()).hasSize(granted.size() + 1).containsAll(granted).last().satisfies(denial -> {
            assertThat(denial.getType()).isEqualTo(AclRuleType.DENY);
            assertThat(denial.getOperations()).containsExactly(AclOperation.ALL);
            assertThat(((AclRuleTopicResource) denial.getResource()).getName()).isEqualTo("*");
            assertThat(((AclRuleTopicResource) denial.getResource()).getPatternType()).isEqualTo(AclResourcePatternType.LITERAL);
        });
        assertThat(StrimziKafkaAccess.readiness(kafkaUser())).as("reconciled").isNotNull();

        access.resume(USERNAME);

        assertThat(acls()).isEqualTo(granted);
    }

    @Test
    void suspendingAUserThatIsNotThereIsKafkaUnavailable() {
        assertThatThrownBy(() -> access.suspend(USERNAME))
                .isInstanceOf(KafkaUnavailableException.class)
                .hasMessageContaining("KafkaUser " + USERNAME);
    }

    private List<AclRule> acls() {
        return ((KafkaUserAuthorizationSimple) kafkaUser().getSpec().getAuthorization()).getAcls();
    }

    @Test
    void withoutANamespaceSettingTheClientsNamespaceIsUsed() {
        StrimziKafkaAccess inClientNamespace = new StrimziKafkaAccess(client, settings(null, Duration.ofSeconds(10)));

        inClientNamespace.grant(grant(1_048_576));

        assertThat(client.resources(KafkaUser.class).inNamespace(client.getNamespace()).withName(USERNAME).get()).isNotNull();
    }
}
