package io.switchboard.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each check fails on a deliberately broken manifest: the passing overlays are not a blind spot. */
class BrokenManifestTests {

    private static final Path BROKEN = Path.of("src/test/resources/broken").toAbsolutePath();

    @Test
    void schemaCheckReportsUnknownFieldsAndKinds() {
        List<String> violations = SchemaCheck.violations(Manifests.parse(BROKEN.resolve("unknown-fields.yaml")));

        assertThat(violations).anyMatch(v -> v.startsWith("Deployment/misspelt") && v.contains("[replica]"));
        assertThat(violations).anyMatch(v -> v.startsWith("Deployment/misspelt") && v.contains("containers[0]")
                && v.contains("[resource]"));
        assertThat(violations).anyMatch(v -> v.startsWith("KafkaTopic/chat.messages") && v.contains("[partition]"));
        assertThat(violations).anyMatch(v -> v.equals("Widget/unknown-kind: no schema for apiVersion example.com/v1 kind Widget"));
    }

    @Test
    void schemaCheckReportsAnUnknownFieldDeepInARenderedOverlay() {
        List<Manifest> prod = Project.render("prod");
        ((ObjectNode) kafkaUser(prod, "push-service").withArray("/spec/authorization/acls").get(0)).put("hosts", "*");

        assertThat(SchemaCheck.violations(prod)).singleElement().asString()
                .startsWith("KafkaUser/push-service.spec.authorization.acls[0]").contains("[hosts]");
    }

    @Test
    void containerWithoutLimitsOrProbesIsReported() {
        List<String> violations = WorkloadRules.violations(Manifests.parse(BROKEN.resolve("deployment-without-limits.yaml")));

        assertThat(violations).contains("Deployment/no-limits container app: no resources.limits.memory",
                "Deployment/no-limits container app: no startupProbe",
                "Deployment/no-limits container app: no readinessProbe",
                "Deployment/no-limits container app: no emptyDir mounted at /tmp (the root filesystem is read-only)");
    }

    @Test
    void rootUserWritableFilesystemAndUnpinnedImagesAreReported() {
        List<String> violations = WorkloadRules.violations(Manifests.parse(BROKEN.resolve("root-and-latest.yaml")));

        assertThat(violations).contains("StatefulSet/rooted container app: not runAsNonRoot",
                "StatefulSet/rooted container app: root filesystem is not read-only",
                "StatefulSet/rooted container app: capabilities do not drop ALL",
                "StatefulSet/rooted: image apache/kafka:latest is not pinned to a version (no tag, or latest)",
                "StatefulSet/rooted: image busybox is not pinned to a version (no tag, or latest)",
                "no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)");
    }

    @Test
    void serviceWithoutAutoscalerIsReported() {
        List<Manifest> prod = Project.render("prod").stream()
                .filter(m -> !(m.kind().equals("HorizontalPodAutoscaler") && m.name().equals("auth-service"))).toList();

        assertThat(WorkloadRules.violations(prod)).containsExactly("Deployment/auth-service: no HorizontalPodAutoscaler");
    }

    @Test
    void topicsThatDriftFromTheCatalogAreReported() {
        List<Manifest> prod = Project.render("prod");
        topic(prod, "chat.messages").put("partitions", 24);
        ((ObjectNode) topic(prod, "auth.apps").path("config")).put("cleanup.policy", "delete");
        ((ObjectNode) topic(prod, "membership.users")).put("replicas", 1);
        ((ObjectNode) topic(prod, "membership.changes").path("config")).remove("delete.retention.ms");
        List<Manifest> withoutPresence = prod.stream()
                .filter(m -> !(m.kind().equals("KafkaTopic") && m.name().equals("presence.changes"))).toList();

        assertThat(TopicRules.violations(withoutPresence, 3, 2)).containsExactlyInAnyOrder(
                "KafkaTopic/chat.messages: 24 partitions, the catalog says 12",
                "KafkaTopic/chat.messages.dlt: 12 partitions, its source chat.messages has 24",
                "KafkaTopic/auth.apps: cleanup.policy delete, the catalog says compact",
                "KafkaTopic/membership.users: replicas 1, expected 3",
                "KafkaTopic/membership.changes: delete.retention.ms unset, compacted topics keep tombstones at least 604800000 ms",
                "no KafkaTopic for topic presence.changes");
    }

    @Test
    void morePushGatewaysThanPartitionsAreReported() {
        List<Manifest> prod = Project.render("prod");
        Manifests.ofKind(prod, "HorizontalPodAutoscaler").filter(m -> m.name().equals("push-service")).findFirst()
                .map(m -> (ObjectNode) m.spec()).orElseThrow().put("maxReplicas", 8);

        assertThat(TopicRules.violations(prod, 3, 2)).containsExactlyInAnyOrder(
                "KafkaTopic/push.deliveries: 6 partitions for up to 8 push-service gateways (one partition per gateway)",
                "KafkaTopic/push.deliveries.dlt: 6 partitions for up to 8 push-service gateways (one partition per gateway)");
    }

    @Test
    void aclsBeyondOrShortOfWhatAServiceUsesAreReported() {
        List<Manifest> prod = Project.render("prod");
        ArrayNode acls = kafkaUser(prod, "auth-service").withArray("/spec/authorization/acls");
        acls.addObject().<ObjectNode>set("resource", acls.objectNode().put("type", "topic").put("name", "chat.messages")
                .put("patternType", "literal")).putArray("operations").add("Read");
        ArrayNode pushAcls = kafkaUser(prod, "push-service").withArray("/spec/authorization/acls");
        pushAcls.remove(pushAcls.size() - 1);

        assertThat(AclRules.violations(prod, ServiceTopics.read(Project.ROOT))).containsExactlyInAnyOrder(
                "KafkaUser/auth-service: ACL Read on topic chat.messages is more than auth-service uses",
                "KafkaUser/push-service: missing ACL Describe on group push-service-app-erasure",
                "KafkaUser/push-service: missing ACL Read on group push-service-app-erasure");
    }

    @Test
    void topicNamedInCodeButMissingFromTheReadmeIsReported(@TempDir Path sources) throws IOException {
        Files.writeString(sources.resolve("Presence.java"),
                "class Presence { Object t = Topics.PRESENCE_CHANGES; Object all = Topics.all(); }");
        ServiceTopics auth = ServiceTopics.read(Project.ROOT).get("auth-service");

        assertThat(auth.undocumented(ServiceTopics.namedInCode(sources))).containsExactly("presence.changes");
    }

    @Test
    void metricsNoServiceExposesAreReported() {
        Set<String> exposed = MetricRules.exposed(Project.ROOT);

        assertThat(MetricRules.violations("alerts", "rate(switchboard_kafka_dead_letter_total[5m]) > 0", exposed))
                .containsExactly("alerts: metric switchboard_kafka_dead_letter_total is not exposed by any service");
        assertThat(MetricRules.violations("alerts", "switchboard_push_frames_dropped_total > 0", exposed)).hasSize(1);
        assertThat(MetricRules.violations("alerts", "switchboard_push_sessions > 0", exposed)).isEmpty();
    }

    @Test
    void misspeltOrUndocumentedVariablesAreReported() {
        Map<String, String> documented = Map.of("SWITCHBOARD_SECURITY_JWK_SET_URI", "switchboard.security.jwk-set-uri",
                "SWITCHBOARD_SECURITY_JWKS_URI", "switchboard.security.jwk-set-uri",
                "SWITCHBOARD_PUSH_GATEWAY_INDEX", "switchboard.push.gateway-index");

        assertThat(EnvironmentRules.violations(documented, Set.of("SWITCHBOARD_SECURITY_JWK_SET_URI", "SPRING_KAFKA_BOOTSTRAP"),
                EnvironmentRules.knownProperties(Project.ROOT))).containsExactlyInAnyOrder(
                "variable SPRING_KAFKA_BOOTSTRAP is set but not in deploy/README.md#configuration",
                "variable SWITCHBOARD_SECURITY_JWKS_URI does not bind to switchboard.security.jwk-set-uri",
                "property switchboard.push.gateway-index (SWITCHBOARD_PUSH_GATEWAY_INDEX) is not a Switchboard setting");
    }

    @Test
    void invalidComposeFileIsReported() {
        assertThat(ComposeCheck.config(BROKEN.resolve("docker-compose-invalid.yml"), Map.of()))
                .singleElement().asString().contains("docker-compose config -q");
    }

    @Test
    void composeTopicListThatDriftsFromTheCatalogIsReported() {
        Path script = BROKEN.resolve("create-topics-wrong.sh");

        assertThat(ComposeCheck.topics(script)).containsExactlyInAnyOrder(
                script + ": chat.messages 6 delete, the catalog says 12 delete",
                script + ": auth.apps 3 delete, the catalog says 3 compact",
                script + ": does not create presence.changes",
                script + ": creates orders.created, which is not in the catalog");
    }

    private static ObjectNode kafkaUser(List<Manifest> manifests, String name) {
        return Manifests.ofKind(manifests, "KafkaUser").filter(m -> m.name().equals(name)).findFirst()
                .map(m -> (ObjectNode) m.node()).orElseThrow();
    }

    private static ObjectNode topic(List<Manifest> manifests, String name) {
        return Manifests.ofKind(manifests, "KafkaTopic").filter(m -> m.name().equals(name)).findFirst()
                .map(m -> (ObjectNode) m.spec()).orElseThrow();
    }
}
