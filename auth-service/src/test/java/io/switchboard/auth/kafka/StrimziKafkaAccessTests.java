package io.switchboard.auth.kafka;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** StrimziKafkaAccess against fabric8's mock API server, which keeps what it is sent (CRUD mode). */
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

    @BeforeEach
    void setUp() {
        access = new StrimziKafkaAccess(client, settings(NAMESPACE));
    }

    private static KafkaCredentialsProperties settings(String namespace) {
        return new KafkaCredentialsProperties(KafkaCredentialsProperties.Provisioner.STRIMZI, "kafka:9094", "SASL_SSL",
                "http://registry:8080/apis/ccompat/v7", 3, 48, 2, 1_048_576, 25, namespace, "switchboard");
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
    void withoutANamespaceSettingTheClientsNamespaceIsUsed() {
        StrimziKafkaAccess inClientNamespace = new StrimziKafkaAccess(client, settings(null));

        inClientNamespace.grant(grant(1_048_576));

        assertThat(client.resources(KafkaUser.class).inNamespace(client.getNamespace()).withName(USERNAME).get()).isNotNull();
    }
}
