package io.switchboard.auth.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.switchboard.deploy.Manifests;
import io.switchboard.deploy.SchemaCheck;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KafkaUser and Secret of a grant, rendered without Kubernetes, as the User Operator would read
 * them, and checked against Strimzi's model the way deploy/manifests checks the deployment's own users.
 */
class StrimziKafkaUserRenderingTests {

    private static final String APP_ID = "0123456789abcdef0123456789abcdef";
    private static final String USERNAME = "app-" + APP_ID + "-a1b2c3d4e5f6";
    private static final String PASSWORD = "s3cr3t-Pa55word-that-must-stay-in-the-secret";
    private static final KafkaAccess.Grant GRANT = new KafkaAccess.Grant(USERNAME, PASSWORD, Topics.ofApp(APP_ID, 3),
            new KafkaAccess.Quota(1_048_576, 25));

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode yaml(Object resource) throws Exception {
        return YAML.readTree(SERIALIZATION.asYaml(resource));
    }

    @Test
    void theKafkaUserLetsItWriteAndDescribeOnlyTheAppsTwoTopicsWithItsQuotas() throws Exception {
        JsonNode user = yaml(StrimziKafkaAccess.kafkaUser(GRANT, "switchboard", "switchboard"));

        assertThat(user.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1");
        assertThat(user.path("kind").asText()).isEqualTo("KafkaUser");
        assertThat(user.path("metadata").path("name").asText()).isEqualTo(USERNAME);
        assertThat(user.path("metadata").path("namespace").asText()).isEqualTo("switchboard");
        assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("switchboard");
        assertThat(user.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText())
                .isEqualTo("switchboard-auth-service");

        JsonNode spec = user.path("spec");
        assertThat(spec.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        JsonNode secretKeyRef = spec.path("authentication").path("password").path("valueFrom").path("secretKeyRef");
        assertThat(secretKeyRef.path("name").asText()).isEqualTo(USERNAME + "-password");
        assertThat(secretKeyRef.path("key").asText()).isEqualTo("password");

        assertThat(spec.path("authorization").path("type").asText()).isEqualTo("simple");
        List<String> acls = new ArrayList<>();
        for (JsonNode acl : spec.path("authorization").path("acls")) {
            JsonNode resource = acl.path("resource");
            List<String> operations = new ArrayList<>();
            acl.path("operations").forEach(operation -> operations.add(operation.asText()));
            // Strimzi leaves out its default pattern type, literal
            acls.add(resource.path("type").asText() + " " + resource.path("name").asText() + " "
                    + resource.path("patternType").asText("literal") + " " + operations);
            assertThat(acl.path("host").asText("*")).as("the hosts the ACL allows").isEqualTo("*");
        }
        assertThat(acls).containsExactly(
                "topic integration.events." + APP_ID + " literal [Write, Describe]",
                "topic directory.users." + APP_ID + " literal [Write, Describe]");

        assertThat(spec.path("quotas").path("producerByteRate").asLong()).isEqualTo(1_048_576);
        assertThat(spec.path("quotas").path("requestPercentage").asInt()).isEqualTo(25);
        assertThat(spec.path("quotas").has("consumerByteRate")).isFalse();
    }

    @Test
    void theKafkaUserPassesTheDeploymentsSchemaCheck() {
        String yaml = SERIALIZATION.asYaml(StrimziKafkaAccess.kafkaUser(GRANT, "switchboard", "switchboard"));

        assertThat(SchemaCheck.violations(Manifests.parse("rendered KafkaUser", yaml))).isEmpty();
    }

    @Test
    void theSchemaCheckWouldCatchAFieldStrimziDoesNotKnow() {
        String yaml = SERIALIZATION.asYaml(StrimziKafkaAccess.kafkaUser(GRANT, "switchboard", "switchboard"))
                .replace("producerByteRate:", "producerBytesRate:");

        assertThat(SchemaCheck.violations(Manifests.parse("rendered KafkaUser", yaml)))
                .singleElement().asString().contains("producerBytesRate");
    }

    @Test
    void thePasswordIsOnlyInTheSecret() throws Exception {
        KafkaUser user = StrimziKafkaAccess.kafkaUser(GRANT, "switchboard", "switchboard");
        Secret secret = StrimziKafkaAccess.passwordSecret(GRANT, "switchboard", "switchboard");
        String encoded = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));

        assertThat(SERIALIZATION.asYaml(user)).doesNotContain(PASSWORD).doesNotContain(encoded);

        JsonNode rendered = yaml(secret);
        assertThat(rendered.path("metadata").path("name").asText()).isEqualTo(USERNAME + "-password");
        assertThat(rendered.path("metadata").path("namespace").asText()).isEqualTo("switchboard");
        assertThat(rendered.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("switchboard");
        assertThat(rendered.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText())
                .isEqualTo("switchboard-auth-service");
        assertThat(rendered.path("type").asText()).isEqualTo("Opaque");
        assertThat(rendered.path("data").path("password").asText()).isEqualTo(encoded);
        assertThat(rendered.path("data").size()).isEqualTo(1);
        assertThat(SchemaCheck.violations(Manifests.parse("rendered Secret", SERIALIZATION.asYaml(secret)))).isEmpty();
    }

    @Test
    void theClusterLabelIsTheConfiguredOne() throws Exception {
        JsonNode user = yaml(StrimziKafkaAccess.kafkaUser(GRANT, "kafka", "other-cluster"));

        assertThat(user.path("metadata").path("namespace").asText()).isEqualTo("kafka");
        assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("other-cluster");
    }
}
