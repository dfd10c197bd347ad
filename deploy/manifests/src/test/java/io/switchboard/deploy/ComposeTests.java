package io.switchboard.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml, validated offline by docker-compose itself and against the catalog. */
class ComposeTests {

    @Test
    void composeFileIsValid() {
        assertThat(ComposeCheck.config(Project.COMPOSE, Project.COMPOSE_SECRETS)).isEmpty();
    }

    @Test
    void composeRefusesToStartWithoutItsSecrets() {
        assertThat(ComposeCheck.config(Project.COMPOSE, Map.of())).singleElement().asString()
                .contains("SWITCHBOARD_DB_PASSWORD");
    }

    @Test
    void composeImagesArePinned() {
        assertThat(ComposeCheck.images(Project.COMPOSE)).isEmpty();
    }

    @Test
    void serviceImagesBuildOnAPinnedBaseImage() throws IOException {
        String dockerfile = Files.readString(Project.ROOT.resolve("deploy/docker/Dockerfile"));
        Matcher base = Pattern.compile("(?m)^ARG JRE_IMAGE=(\\S+)$").matcher(dockerfile);

        assertThat(base.find()).isTrue();
        assertThat(WorkloadRules.pinned(base.group(1))).as(base.group(1)).isTrue();
        assertThat(dockerfile.lines().filter(line -> line.startsWith("FROM ")))
                .allMatch(line -> line.startsWith("FROM ${JRE_IMAGE}"));
    }

    @Test
    void kafkaClusterIdIsAValidKafkaUuid() {
        String id = ComposeCheck.resolved(Project.COMPOSE, Project.COMPOSE_SECRETS)
                .path("services").path("kafka").path("environment").path("CLUSTER_ID").asText();
        byte[] uuid = Base64.getUrlDecoder().decode(id);

        assertThat(uuid).hasSize(16);
        assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(uuid)).isEqualTo(id);
    }

    @Test
    void composeCreatesEveryCatalogTopic() {
        assertThat(ComposeCheck.topics(Project.ROOT.resolve("deploy/compose/create-topics.sh"))).isEmpty();
    }

    @Test
    void composeVariablesAreDocumentedAndBind() {
        assertThat(EnvironmentRules.violations(EnvironmentRules.documented(Project.DEPLOY_README),
                EnvironmentRules.used(ComposeCheck.resolved(Project.COMPOSE, Project.COMPOSE_SECRETS)), EnvironmentRules.knownProperties(Project.ROOT))).isEmpty();
    }
}
