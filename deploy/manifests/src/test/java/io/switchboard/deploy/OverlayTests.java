package io.switchboard.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every overlay, rendered offline, against the schemas and the project's rules. */
class OverlayTests {

    static final List<String> OVERLAYS = Project.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyObjectMatchesItsSchema(String overlay) {
        assertThat(SchemaCheck.violations(Project.render(overlay))).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void workloadsFollowTheRules(String overlay) {
        assertThat(WorkloadRules.violations(Project.render(overlay))).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kafkaUsersGrantWhatEachServiceUses(String overlay) {
        assertThat(AclRules.violations(Project.render(overlay), ServiceTopics.read(Project.ROOT))).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyVariableIsDocumentedAndBinds(String overlay) {
        assertThat(EnvironmentRules.violations(EnvironmentRules.documented(Project.DEPLOY_README),
                EnvironmentRules.used(Project.render(overlay)), EnvironmentRules.knownProperties(Project.ROOT))).isEmpty();
    }

    /**
     * kubectl kustomize drops some misplaced fields (a key under {@code metadata} that ObjectMeta
     * does not have) instead of failing, so the sources are checked as written too.
     */
    @Test
    void theSourcesHaveNoUnknownFieldsEither() throws IOException {
        try (Stream<Path> files = Files.walk(Project.K8S)) {
            List<Manifest> sources = files.filter(f -> f.toString().endsWith(".yaml")
                            && !f.getFileName().toString().equals("kustomization.yaml"))
                    .flatMap(f -> Manifests.parse(f).stream()).toList();
            assertThat(sources).hasSizeGreaterThan(20);
            assertThat(SchemaCheck.violations(sources)).isEmpty();
        }
    }

    @Test
    void prodTopicsMatchTheCatalogWithReplicationThree() {
        assertThat(TopicRules.violations(Project.render("prod"), 3, 2)).isEmpty();
        assertThat(TopicRules.violations(Project.render("prod-canary"), 3, 2)).isEmpty();
    }

    @Test
    void devTopicsMatchTheCatalogWithReplicationOne() {
        assertThat(TopicRules.violations(Project.render("dev"), 1, 1)).isEmpty();
    }

    @Test
    void alertsAndDashboardQueryExposedMetrics() throws IOException {
        var exposed = MetricRules.exposed(Project.ROOT);
        assertThat(exposed).contains("switchboard_kafka_dead_letters");
        String alerts = Manifests.ofKind(Project.render("prod"), "PrometheusRule").findFirst().orElseThrow().node().toString();
        assertThat(MetricRules.violations("alerts", alerts, exposed)).isEmpty();
        assertThat(MetricRules.violations("dashboard", Files.readString(Project.DASHBOARD), exposed))
                .isEmpty();
    }

    @Test
    void everyTopicAServiceNamesIsInItsReadmeRow() {
        ServiceTopics.read(Project.ROOT).forEach((service, topics) -> assertThat(
                topics.undocumented(ServiceTopics.namedInCode(Project.ROOT.resolve(service).resolve("src/main/java"))))
                .as(service).isEmpty());
    }

    @Test
    void serviceTopicsComeFromTheReadmeAndTheCode() {
        var services = ServiceTopics.read(Project.ROOT);
        assertThat(services).containsOnlyKeys("auth-service", "membership-service", "message-service", "push-service");
        assertThat(services.get("push-service").groupPrefixes()).containsExactly("push-gateway-");
        assertThat(services.get("message-service").publishes()).contains("chat.messages", "integration.events.dlt");
    }
}
